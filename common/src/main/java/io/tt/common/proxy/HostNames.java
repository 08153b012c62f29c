package io.tt.common.proxy;

import io.netty.util.NetUtil;

/**
 * What a proxy accepts as a host to connect to. A name must be something DNS could resolve (letters, digits,
 * '-', '.', '_'; at most 255 bytes so it fits the SOCKS5 address form TT sends to its server). Anything else
 * (controls, spaces, '/', '@', '%', non-ASCII bytes) is refused before it travels anywhere.
 */
public final class HostNames {

  /** Longest name the SOCKS5 address form can carry. */
  public static final int MAX_NAME_LENGTH = 255;

  private HostNames() {
  }

  /** A DNS-style name or dotted IPv4 literal: 1..255 of {@code [A-Za-z0-9._-]}. */
  public static boolean isValidName(CharSequence host) {
    int n = host.length();
    if (n == 0 || n > MAX_NAME_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = host.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 literal without brackets and without a zone id. */
  public static boolean isIpv6Literal(String host) {
    return host.indexOf('%') < 0 && NetUtil.isValidIpV6Address(host);
  }

  /** A name as above, or an IPv6 literal (what a SOCKS5 client may put in a domain-type address). */
  public static boolean isValidHost(String host) {
    return isValidName(host) || isIpv6Literal(host);
  }
}
