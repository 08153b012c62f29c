package io.tt.common.proxy.http;

import io.tt.common.proxy.HostNames;
import io.tt.common.proxy.TargetAddress;

import java.util.Locale;

/**
 * Request-target forms a proxy acts on (RFC 9112 section 3.2): authority-form for CONNECT, absolute-form
 * {@code http://host[:port][/path][?query]} for everything else.
 */
final class HttpRequestTarget {

  /** Where to connect, the Host value to send, and the origin-form to put on the rewritten request line. */
  record Absolute(TargetAddress address, String hostHeader, String originForm) {
  }

  /** Where to connect and the authority as written (brackets kept, empty port dropped). */
  record Authority(TargetAddress address, String hostHeader) {
  }

  private HttpRequestTarget() {
  }

  /** CONNECT's {@code host:port} / {@code [v6]:port}; the port is required (RFC 9112 section 3.2.3). */
  static TargetAddress parseAuthorityForm(String target) {
    return parseAuthority(target, true, -1).address();
  }

  /**
   * @param asteriskIfEmpty OPTIONS with an empty path is forwarded as {@code OPTIONS *} (RFC 9112 section 3.2.4)
   * @throws HttpRejection 400 for a fragment, a scheme other than http (https included: clients use CONNECT for it),
   *     userinfo, an empty or invalid host, or a bad port
   */
  static Absolute parseAbsoluteForm(String target, boolean asteriskIfEmpty) {
    if (target.indexOf('#') >= 0) {
      throw new HttpRejection(400, "fragment in request target");
    }
    int colon = target.indexOf(':');
    if (colon <= 0 || !isScheme(target, colon)) {
      throw new HttpRejection(400, "request target is not an absolute URI");
    }
    String scheme = target.substring(0, colon).toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      throw new HttpRejection(400, "https URI in absolute form; use CONNECT");
    }
    if (!scheme.equals("http")) {
      throw new HttpRejection(400, "unsupported URI scheme");
    }
    if (!target.startsWith("//", colon + 1)) {
      throw new HttpRejection(400, "http URI without authority");
    }
    int authorityStart = colon + 3;
    int authorityEnd = authorityStart;
    while (authorityEnd < target.length() && target.charAt(authorityEnd) != '/' && target.charAt(authorityEnd) != '?') {
      authorityEnd++;
    }
    Authority authority = parseAuthority(target.substring(authorityStart, authorityEnd), false, 80);
    String rest = target.substring(authorityEnd);
    String originForm;
    if (rest.isEmpty()) {
      originForm = asteriskIfEmpty ? "*" : "/";
    } else if (rest.charAt(0) == '?') {
      originForm = "/" + rest;
    } else {
      originForm = rest;
    }
    return new Absolute(authority.address(), authority.hostHeader(), originForm);
  }

  private static boolean isScheme(String s, int end) {
    if (!isAlpha(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static Authority parseAuthority(String a, boolean portRequired, int defaultPort) {
    if (a.isEmpty()) {
      throw new HttpRejection(400, "empty host");
    }
    if (a.indexOf('@') >= 0) {
      throw new HttpRejection(400, "userinfo in URI");
    }
    String host;
    String hostText;
    String portText;
    if (a.charAt(0) == '[') {
      int close = a.indexOf(']');
      if (close < 0) {
        throw new HttpRejection(400, "unterminated IPv6 literal");
      }
      host = a.substring(1, close).toLowerCase(Locale.ROOT);
      if (!HostNames.isIpv6Literal(host)) {
        throw new HttpRejection(400, "bad IPv6 literal");
      }
      hostText = a.substring(0, close + 1);
      String rest = a.substring(close + 1);
      if (rest.isEmpty()) {
        portText = "";
      } else if (rest.charAt(0) == ':') {
        portText = rest.substring(1);
      } else {
        throw new HttpRejection(400, "junk after IPv6 literal");
      }
    } else {
      int colon = a.indexOf(':');
      if (colon >= 0 && a.indexOf(':', colon + 1) >= 0) {
        throw new HttpRejection(400, "IPv6 literal without brackets");
      }
      hostText = colon < 0 ? a : a.substring(0, colon);
      portText = colon < 0 ? "" : a.substring(colon + 1);
      if (!HostNames.isValidName(hostText)) {
        throw new HttpRejection(400, "bad host name");
      }
      host = hostText.toLowerCase(Locale.ROOT);
    }
    int port;
    if (portText.isEmpty()) {
      if (portRequired) {
        throw new HttpRejection(400, "port missing");
      }
      port = defaultPort;
    } else {
      port = parsePort(portText);
    }
    String hostHeader = portText.isEmpty() ? hostText : hostText + ":" + portText;
    return new Authority(new TargetAddress(host, port), hostHeader);
  }

  private static int parsePort(String p) {
    if (p.length() > 5) {
      throw new HttpRejection(400, "bad port");
    }
    int port = 0;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c < '0' || c > '9') {
        throw new HttpRejection(400, "bad port");
      }
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) {
      throw new HttpRejection(400, "port out of range");
    }
    return port;
  }
}
