package io.tt.common.proxy.http;

import io.tt.common.proxy.ProxyAuth;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Checks {@code Proxy-Authorization: Basic base64(user:pass)} (RFC 7617) against the configured credentials. */
final class HttpBasicAuth {

  private HttpBasicAuth() {
  }

  /**
   * True when no authentication is configured, or exactly one Proxy-Authorization field carries the right Basic
   * credentials. Decoding errors are swallowed, not rethrown: the JDK's message would quote the token.
   */
  static boolean accepts(ProxyAuth auth, HttpFields fields) {
    if (!auth.required()) {
      return true;
    }
    List<String> values = fields.all("proxy-authorization");
    if (values.size() != 1) {
      return false;
    }
    String value = values.get(0);
    int sp = value.indexOf(' ');
    if (sp < 0 || !value.substring(0, sp).equalsIgnoreCase("Basic")) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(value.substring(sp + 1).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = -1;
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] == ':') {
        colon = i;
        break;
      }
    }
    boolean ok = false;
    if (colon >= 0) {
      byte[] user = Arrays.copyOfRange(decoded, 0, colon);
      byte[] pass = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
      ok = auth.check(user, pass);
      Arrays.fill(pass, (byte) 0);
    }
    Arrays.fill(decoded, (byte) 0);
    return ok;
  }
}
