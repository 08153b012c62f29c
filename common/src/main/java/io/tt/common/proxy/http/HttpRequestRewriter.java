package io.tt.common.proxy.http;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an absolute-form request head into the head an origin expects (RFC 9110 section 7.6.1, RFC 9112 section
 * 3.2.2): origin-form request line, a Host field generated from the URI (first, replacing any received one), the
 * other fields in order minus hop-by-hop ones, then TT's own connection option. Output always uses CRLF.
 */
final class HttpRequestRewriter {

  /** Always hop-by-hop, or meant for the proxy itself; Host is regenerated. */
  private static final Set<String> ALWAYS_DROPPED = Set.of(
      "host", "connection", "proxy-connection", "keep-alive", "proxy-authorization", "proxy-authenticate",
      "te", "upgrade");

  /**
   * Never dropped even when Connection names them: TT forwards bodies verbatim, so the origin must see the same
   * framing fields the proxy used ("Connection: Content-Length" is a known desync trick).
   */
  private static final Set<String> NEVER_DROPPED = Set.of("content-length", "transfer-encoding");

  private HttpRequestRewriter() {
  }

  /**
   * @param keepAlive whether the client keeps its connection; for HTTP/1.1 "close" is sent when it does not,
   *     for HTTP/1.0 "keep-alive" is sent when it does (each version's non-default)
   */
  static byte[] rewrite(HttpRequestHead head, HttpRequestTarget.Absolute target, boolean keepAlive) {
    Set<String> dropped = new HashSet<>(ALWAYS_DROPPED);
    for (String token : head.fields().tokens("connection")) {
      dropped.add(token);
    }
    for (String token : head.fields().tokens("proxy-connection")) {
      dropped.add(token);
    }
    dropped.removeAll(NEVER_DROPPED);

    StringBuilder sb = new StringBuilder(256);
    sb.append(head.method()).append(' ').append(target.originForm()).append(' ').append(head.version())
        .append("\r\n");
    sb.append("Host: ").append(target.hostHeader()).append("\r\n");
    for (HttpField f : head.fields()) {
      if (!dropped.contains(f.name().toLowerCase(Locale.ROOT))) {
        sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
      }
    }
    if (head.minorVersion() >= 1 && !keepAlive) {
      sb.append("Connection: close\r\n");
    } else if (head.minorVersion() == 0 && keepAlive) {
      sb.append("Connection: keep-alive\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
