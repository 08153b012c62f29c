package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.proxy.TargetAddress;

/**
 * Client-to-origin direction of an HTTP proxy connection: splits the byte stream into requests, judges and rewrites
 * each head, and hands body bytes through untouched. Pull style: each {@link #next} returns one event and consumes
 * exactly that event's bytes from {@code in}, so a handler can stop between events (say, while it opens a tunnel
 * to a new target) and resume later with the same buffer.
 *
 * <p>Zero copy for bodies: a {@link BodyPart} is a slice of {@code in} (not retained); write it before {@code in}
 * is released or reused. Vert.x socket buffers are unpooled heap copies, so nothing needs doing there. Only heads
 * are copied (into the parser's line buffer when cut by a buffer boundary, then into the rewritten head).
 *
 * <p>States: HEAD, then FIXED (Content-Length) or CHUNKED or straight back to HEAD; TUNNEL after a CONNECT on this
 * connection (everything after it is opaque); CLOSED after a request that asked to close (further bytes are
 * discarded, RFC 9112 section 9.6); FAILED after a {@link Failed} (further bytes discarded).
 */
public final class HttpRequestFramer {

  /** What {@link #next} found. */
  public sealed interface Event {
  }

  /** All of {@code in} was consumed; call again with more input. */
  public enum NeedMore implements Event { INSTANCE }

  /**
   * A new request. For FORWARD send {@code request.headForOrigin()} to the tunnel for {@code request.target()}; for
   * CONNECT answer {@link HttpProxyResponses#connectionEstablished()} and relay raw bytes from then on.
   *
   * @param newTarget whether its host:port differs from the previous request's on this connection (true for the
   *     first)
   */
  public record RequestHead(HttpProxyRequest request, boolean newTarget) implements Event {
  }

  /** Body bytes of the current request, to forward as they are (chunk framing included); {@code last} ends it. */
  public record BodyPart(ByteBuf bytes, boolean last) implements Event {
  }

  /** The stream is unusable: write {@code response}, then close the client connection (and any tunnel). */
  public record Failed(ByteBuf response, int status, String reason) implements Event {
  }

  private enum State { HEAD, FIXED, CHUNKED, TUNNEL, CLOSED, FAILED }

  private final ProxyAuth auth;
  private final HttpRequestHeadParser parser;
  private final ChunkedBodyScanner chunked;
  private State state = State.HEAD;
  private long remaining;
  private boolean keepAlive = true;
  private TargetAddress lastTarget;

  public HttpRequestFramer(ProxyAuth auth, HttpLimits limits) {
    this.auth = auth;
    this.parser = new HttpRequestHeadParser(limits);
    this.chunked = new ChunkedBodyScanner(limits);
  }

  /** Never throws on any input; returns {@link NeedMore#INSTANCE} once {@code in} is exhausted. */
  public Event next(ByteBuf in) {
    switch (state) {
      case HEAD:
        return head(in);
      case FIXED: {
        if (!in.isReadable()) {
          return NeedMore.INSTANCE;
        }
        int n = (int) Math.min(remaining, in.readableBytes());
        remaining -= n;
        boolean last = remaining == 0;
        if (last) {
          endOfRequest();
        }
        return new BodyPart(in.readSlice(n), last);
      }
      case CHUNKED: {
        if (!in.isReadable()) {
          return NeedMore.INSTANCE;
        }
        int n = chunked.scan(in);
        if (n == 0 && chunked.failure() != null) {
          return fail(chunked.failure()); // good bytes before the bad one went out in the previous BodyPart
        }
        boolean last = chunked.done();
        if (last) {
          endOfRequest();
        }
        return new BodyPart(in.readSlice(n), last);
      }
      case TUNNEL:
        return in.isReadable() ? new BodyPart(in.readSlice(in.readableBytes()), false) : NeedMore.INSTANCE;
      default:
        in.skipBytes(in.readableBytes());
        return NeedMore.INSTANCE;
    }
  }

  /** Whether the stream is between requests with nothing of the next one received (a clean place to close). */
  public boolean betweenRequests() {
    return (state == State.HEAD && parser.idle()) || state == State.CLOSED;
  }

  private Event head(ByteBuf in) {
    HttpProxyRequest request;
    try {
      HttpRequestHead head = parser.parse(in);
      if (head == null) {
        return NeedMore.INSTANCE;
      }
      request = HttpProxyRequest.of(head, auth);
    } catch (HttpRejection e) {
      return fail(e);
    }
    boolean newTarget = !request.target().equals(lastTarget);
    lastTarget = request.target();
    if (request.isConnect()) {
      state = State.TUNNEL;
      return new RequestHead(request, newTarget);
    }
    keepAlive = request.keepAlive();
    HttpBodyFraming body = request.body();
    switch (body.kind()) {
      case LENGTH -> {
        remaining = body.length();
        state = State.FIXED;
      }
      case CHUNKED -> {
        chunked.reset();
        state = State.CHUNKED;
      }
      default -> endOfRequest();
    }
    return new RequestHead(request, newTarget);
  }

  private void endOfRequest() {
    state = keepAlive ? State.HEAD : State.CLOSED;
  }

  private Event fail(HttpRejection e) {
    state = State.FAILED;
    return new Failed(HttpProxyResponses.error(e.status()), e.status(), e.getMessage());
  }
}
