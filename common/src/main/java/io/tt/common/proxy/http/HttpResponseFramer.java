package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Origin-to-client direction of one forwarded (absolute-form) connection: finds where each response ends so the
 * handler knows when the client connection is between responses and may be switched to another tunnel. Responses
 * are forwarded verbatim (heads included), as slices of {@code in} where possible; a head cut by a buffer boundary
 * is gathered into a copy first, so a malformed head is caught before any of it reaches the client.
 *
 * <p>Body length (RFC 9112 section 6.3): none for 1xx, 204, 304 and responses to HEAD; else chunked when it is the
 * final transfer coding; else Content-Length; else until the origin closes. Content-Length with Transfer-Encoding
 * is refused. 1xx responses are interim: another head follows for the same request. A 101 is refused, since TT
 * strips Upgrade from requests and never asks for one.
 *
 * <p>The handler tells it, in order, each request it forwards ({@link #expectResponseTo}), because only the
 * request says whether a body may follow (HEAD).
 */
public final class HttpResponseFramer {

  /** What {@link #next} found. */
  public sealed interface Event {
  }

  /** All of {@code in} was consumed; call again with more input. */
  public enum NeedMore implements Event { INSTANCE }

  /**
   * A response head, to forward as is.
   *
   * @param interim a 1xx response: the final one for the same request follows
   * @param bodyFollows body bytes ({@link BodyPart}s) follow; if false the response is complete
   * @param untilClose the body ends only when the origin closes: close the client connection after it
   * @param originCloses the origin will close after this response (Connection: close, HTTP/1.0 without
   *     keep-alive, or a close-delimited body); a later request needs a new tunnel
   */
  public record ResponseHead(ByteBuf bytes, int status, boolean interim, boolean bodyFollows, boolean untilClose,
                             boolean originCloses) implements Event {
  }

  /** Body bytes to forward as they are; {@code last} completes the response. */
  public record BodyPart(ByteBuf bytes, boolean last) implements Event {
  }

  /**
   * The origin's bytes cannot be framed. Close both sides; if {@code responseStarted} is false nothing of this
   * response reached the client and {@link HttpProxyResponses#badGateway()} may be written first.
   */
  public record Failed(String reason, boolean responseStarted) implements Event {
  }

  private enum State { HEAD, FIXED, CHUNKED, UNTIL_CLOSE, CLOSED, FAILED }

  private final HttpLimits limits;
  private final HttpResponseHeadParser parser;
  private final ChunkedBodyScanner chunked;
  /** For each forwarded request whose final response has not begun: was it HEAD? */
  private final ArrayDeque<Boolean> pending = new ArrayDeque<>();
  private ByteBuf headCopy = Unpooled.EMPTY_BUFFER;
  private State state = State.HEAD;
  private long remaining;
  private boolean originCloses;

  public HttpResponseFramer(HttpLimits limits) {
    this.limits = limits;
    this.parser = new HttpResponseHeadParser(limits);
    this.chunked = new ChunkedBodyScanner(limits);
  }

  /**
   * Records a request just forwarded on this connection.
   *
   * @return false if {@link HttpLimits#maxPendingResponses()} requests already wait: stop reading the client
   *     until a response arrives (or close)
   */
  public boolean expectResponseTo(HttpProxyRequest request) {
    if (pending.size() >= limits.maxPendingResponses()) {
      return false;
    }
    pending.addLast(request.isHead());
    return true;
  }

  /** Requests forwarded whose final response has not begun. */
  public int pendingResponses() {
    return pending.size();
  }

  /** Whether every forwarded request has its complete response: the connection may be switched or closed. */
  public boolean idle() {
    return pending.isEmpty() && atBoundary();
  }

  /**
   * The origin closed. Returns whether that ends things cleanly (between responses, or ending a close-delimited
   * body); false means a response was cut short: close the client connection without completing it.
   */
  public boolean endOfInput() {
    return state == State.UNTIL_CLOSE || (atBoundary() && pending.isEmpty());
  }

  private boolean atBoundary() {
    return (state == State.HEAD && !headCopy.isReadable() && parser.idle()) || state == State.CLOSED;
  }

  /** Never throws on any input; returns {@link NeedMore#INSTANCE} once {@code in} is exhausted. */
  public Event next(ByteBuf in) {
    if (!in.isReadable()) {
      return NeedMore.INSTANCE;
    }
    switch (state) {
      case HEAD:
        return head(in);
      case FIXED: {
        int n = (int) Math.min(remaining, in.readableBytes());
        remaining -= n;
        boolean last = remaining == 0;
        if (last) {
          endOfResponse();
        }
        return new BodyPart(in.readSlice(n), last);
      }
      case CHUNKED: {
        int n = chunked.scan(in);
        if (n == 0 && chunked.failure() != null) {
          return fail(chunked.failure().getMessage(), true);
        }
        boolean last = chunked.done();
        if (last) {
          endOfResponse();
        }
        return new BodyPart(in.readSlice(n), last);
      }
      case UNTIL_CLOSE:
        return new BodyPart(in.readSlice(in.readableBytes()), false);
      case CLOSED:
        // The origin said it closes after the last response; anything more is not a response we asked for.
        return fail("bytes after the origin's last response", false);
      default:
        in.skipBytes(in.readableBytes());
        return NeedMore.INSTANCE;
    }
  }

  private Event head(ByteBuf in) {
    if (pending.isEmpty()) {
      return fail("response without a request", false);
    }
    int start = in.readerIndex();
    HttpResponseHead head;
    try {
      head = parser.parse(in);
    } catch (HttpRejection e) {
      return fail(e.getMessage(), false);
    }
    int used = in.readerIndex() - start;
    if (head == null) {
      if (headCopy == Unpooled.EMPTY_BUFFER) {
        headCopy = Unpooled.buffer(Math.max(256, used));
      }
      headCopy.writeBytes(in, start, used);
      return NeedMore.INSTANCE;
    }
    ByteBuf raw;
    if (headCopy.isReadable()) {
      headCopy.writeBytes(in, start, used);
      raw = headCopy;
      headCopy = Unpooled.EMPTY_BUFFER;
    } else {
      raw = in.slice(start, used);
    }
    int status = head.status();
    if (status == 101) {
      return fail("unexpected 101 Switching Protocols", false);
    }
    if (status < 200) {
      return new ResponseHead(raw, status, true, false, false, false);
    }
    boolean requestWasHead = pending.removeFirst();
    HttpBodyFraming body;
    try {
      body = HttpBodyFraming.forResponse(head, requestWasHead);
    } catch (HttpRejection e) {
      return fail(e.getMessage(), false);
    }
    originCloses = body.kind() == HttpBodyFraming.Kind.UNTIL_CLOSE || closes(head);
    switch (body.kind()) {
      case LENGTH -> {
        remaining = body.length();
        state = State.FIXED;
      }
      case CHUNKED -> {
        chunked.reset();
        state = State.CHUNKED;
      }
      case UNTIL_CLOSE -> state = State.UNTIL_CLOSE;
      default -> endOfResponse();
    }
    return new ResponseHead(raw, status, false, body.kind() != HttpBodyFraming.Kind.NONE,
        body.kind() == HttpBodyFraming.Kind.UNTIL_CLOSE, originCloses);
  }

  private static boolean closes(HttpResponseHead head) {
    List<String> options = head.fields().tokens("connection");
    return options.contains("close") || (head.minorVersion() == 0 && !options.contains("keep-alive"));
  }

  private void endOfResponse() {
    state = originCloses ? State.CLOSED : State.HEAD;
  }

  private Event fail(String reason, boolean responseStarted) {
    state = State.FAILED;
    return new Failed(reason, responseStarted);
  }
}
