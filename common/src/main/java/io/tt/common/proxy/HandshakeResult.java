package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.http.HttpProxyRequest;
import io.tt.common.proxy.http.HttpProxyResponses;
import io.tt.common.proxy.http.HttpRequestFramer;
import io.tt.common.proxy.socks5.Socks5CommandResponse;
import io.tt.common.proxy.socks5.Socks5ReplyCode;

import java.util.Objects;

/**
 * What {@link ProxyHandshake#feed} tells the I/O handler to do. Every {@link ByteBuf} in a result is an unpooled
 * heap buffer owned by the handler: write it, or drop it; releasing is optional.
 */
public sealed interface HandshakeResult {

  /** Nothing to write; wait for more bytes. */
  enum NeedMore implements HandshakeResult { INSTANCE }

  /** Write {@code bytes} to the client now (SOCKS5 method selection, RFC 1929 status), then keep reading. */
  record Reply(ByteBuf bytes) implements HandshakeResult {
  }

  /**
   * Write {@code bytes} (possibly empty: a silent close) then close the client connection.
   *
   * @param reason fixed text for a log line or a metric tag; never holds input bytes or secrets
   */
  record Fail(ByteBuf bytes, String reason) implements HandshakeResult {
  }

  /**
   * Open a tunnel to {@link #target()}. Once it is up, write {@link #successReply()} to the client and
   * {@link #toTarget()} then the {@link #leftover()} bytes (SOCKS5, HTTP CONNECT) into the tunnel; if it fails,
   * write {@link #failureReply} and close. For {@link Mode#HTTP_FORWARD}, leftover instead goes through
   * {@link #requestFramer()}, which continues the same client stream (it is already inside the first request).
   */
  final class Connect implements HandshakeResult {

    public enum Mode {
      /** SOCKS5 CONNECT: after the reply, relay raw bytes both ways. */
      SOCKS5,
      /** HTTP {@code CONNECT host:port}: after "200 Connection established", relay raw bytes both ways. */
      HTTP_CONNECT,
      /** HTTP absolute-form request: forward the rewritten head, then keep framing requests and responses. */
      HTTP_FORWARD
    }

    private final Mode mode;
    private final TargetAddress target;
    private final ByteBuf owedReplies;
    private final ByteBuf leftover;
    private final HttpProxyRequest request;
    private final HttpRequestFramer framer;

    private Connect(Mode mode, TargetAddress target, ByteBuf owedReplies, ByteBuf leftover,
                    HttpProxyRequest request, HttpRequestFramer framer) {
      this.mode = mode;
      this.target = Objects.requireNonNull(target, "target");
      this.owedReplies = owedReplies;
      this.leftover = leftover;
      this.request = request;
      this.framer = framer;
    }

    /** @param owedReplies greeting/auth replies produced by the same feed, not yet written (sent before the reply) */
    static Connect socks5(TargetAddress target, ByteBuf owedReplies, ByteBuf leftover) {
      return new Connect(Mode.SOCKS5, target, owedReplies, leftover, null, null);
    }

    static Connect httpConnect(HttpProxyRequest request, ByteBuf leftover) {
      return new Connect(Mode.HTTP_CONNECT, request.target(), Unpooled.EMPTY_BUFFER, leftover, request, null);
    }

    static Connect httpForward(HttpProxyRequest request, HttpRequestFramer framer, ByteBuf leftover) {
      return new Connect(Mode.HTTP_FORWARD, request.target(), Unpooled.EMPTY_BUFFER, leftover, request, framer);
    }

    public Mode mode() {
      return mode;
    }

    public TargetAddress target() {
      return target;
    }

    /**
     * For the client once the tunnel is up: the SOCKS5 success reply (BND 0.0.0.0:0), "HTTP/1.1 200 Connection
     * established", or nothing for HTTP_FORWARD (the origin's response is the answer). A new buffer each call.
     */
    public ByteBuf successReply() {
      return switch (mode) {
        case SOCKS5 -> withOwed(Socks5CommandResponse.success().toByteBuf());
        case HTTP_CONNECT -> HttpProxyResponses.connectionEstablished();
        case HTTP_FORWARD -> Unpooled.EMPTY_BUFFER;
      };
    }

    /** For the client when the tunnel failed, then close: a SOCKS5 reply code, or 502/504/403. */
    public ByteBuf failureReply(ConnectFailure failure) {
      if (mode == Mode.SOCKS5) {
        return withOwed(Socks5CommandResponse.failure(Socks5ReplyCode.of(failure)).toByteBuf());
      }
      return HttpProxyResponses.forFailure(failure);
    }

    /** First bytes for the tunnel: the rewritten request head for HTTP_FORWARD, else empty. */
    public ByteBuf toTarget() {
      return mode == Mode.HTTP_FORWARD ? request.headForOrigin() : Unpooled.EMPTY_BUFFER;
    }

    /** Client bytes received after the handshake; may be empty. Hand over once (not a copy per call). */
    public ByteBuf leftover() {
      return leftover;
    }

    /** HTTP modes: the judged request (for HTTP_FORWARD, give it to the response framer). Null for SOCKS5. */
    public HttpProxyRequest request() {
      return request;
    }

    /** HTTP_FORWARD: the framer for the rest of the client stream, starting with {@link #leftover()}. Else null. */
    public HttpRequestFramer requestFramer() {
      return framer;
    }

    private ByteBuf withOwed(ByteBuf reply) {
      return owedReplies.isReadable() ? Unpooled.wrappedBuffer(owedReplies.duplicate(), reply) : reply;
    }

    @Override
    public String toString() {
      return "Connect[" + mode + " " + target + ", leftover=" + leftover.readableBytes() + "B]";
    }
  }
}
