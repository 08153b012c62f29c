package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.ConnectFailure;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The responses the proxy itself sends. Errors are small complete HTTP/1.1 responses with Content-Length and
 * {@code Connection: close} (the handler closes after writing one). Each call returns a new read-only view of
 * shared bytes: nothing to release, nothing to copy.
 */
public final class HttpProxyResponses {

  private static final byte[] CONNECTION_ESTABLISHED =
      "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "Bad Request"),
      Map.entry(403, "Forbidden"),
      Map.entry(405, "Method Not Allowed"),
      Map.entry(407, "Proxy Authentication Required"),
      Map.entry(414, "URI Too Long"),
      Map.entry(431, "Request Header Fields Too Large"),
      Map.entry(502, "Bad Gateway"),
      Map.entry(504, "Gateway Timeout"),
      Map.entry(505, "HTTP Version Not Supported"));

  private static final Map<Integer, byte[]> ERRORS;

  static {
    Map<Integer, byte[]> errors = new java.util.HashMap<>();
    for (Map.Entry<Integer, String> e : REASONS.entrySet()) {
      errors.put(e.getKey(), build(e.getKey(), e.getValue()));
    }
    ERRORS = Map.copyOf(errors);
  }

  private HttpProxyResponses() {
  }

  private static byte[] build(int status, String reason) {
    String body = status + " " + reason + "\n";
    StringBuilder sb = new StringBuilder(160);
    sb.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
    if (status == 407) {
      sb.append("Proxy-Authenticate: Basic realm=\"tt\"\r\n");
    }
    if (status == 405) {
      // What this proxy does handle: absolute-form requests of any method, and CONNECT.
      sb.append("Allow: GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE, CONNECT\r\n");
    }
    sb.append("Content-Type: text/plain; charset=us-ascii\r\n")
        .append("Content-Length: ").append(body.length()).append("\r\n")
        .append("Connection: close\r\n\r\n")
        .append(body);
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static ByteBuf view(byte[] bytes) {
    return Unpooled.wrappedBuffer(bytes).asReadOnly();
  }

  /** {@code HTTP/1.1 200 Connection established} with no fields: the CONNECT success reply. */
  public static ByteBuf connectionEstablished() {
    return view(CONNECTION_ESTABLISHED);
  }

  /** The error response for a status in 400, 403, 405, 407, 414, 431, 502, 504, 505 (others fall back to 400). */
  public static ByteBuf error(int status) {
    byte[] bytes = ERRORS.get(status);
    return view(bytes != null ? bytes : ERRORS.get(400));
  }

  public static ByteBuf badRequest() {
    return error(400);
  }

  public static ByteBuf proxyAuthenticationRequired() {
    return error(407);
  }

  public static ByteBuf badGateway() {
    return error(502);
  }

  public static ByteBuf gatewayTimeout() {
    return error(504);
  }

  /** The status for a failed tunnel: 504 for timeouts, 403 when policy forbids the target, else 502. */
  public static int statusFor(ConnectFailure failure) {
    return switch (failure) {
      case TIMEOUT -> 504;
      case NOT_ALLOWED -> 403;
      default -> 502;
    };
  }

  public static ByteBuf forFailure(ConnectFailure failure) {
    return error(statusFor(failure));
  }
}
