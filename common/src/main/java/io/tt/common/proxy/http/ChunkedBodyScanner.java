package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Finds the end of a chunked body (RFC 9112 section 7.1) byte by byte without copying anything, so the body
 * can be forwarded verbatim as slices of the input. Chunk data is skipped in bulk; only chunk-size lines and
 * trailer lines are looked at, each with a cap. Accepts CRLF or bare LF as line ends; a CR not followed by LF,
 * a missing hex size, a size over 15 hex digits, a control byte in an extension, obs-fold in the trailer, or
 * chunk data not followed by a line end are all rejected with 400 (431 for trailer caps).
 *
 * <p>On a bad byte, {@link #scan} returns the count of good bytes before it and keeps the rejection in
 * {@link #failure()}: the framer forwards exactly those bytes then fails, so what reaches the origin does not
 * depend on how the input was split.
 */
final class ChunkedBodyScanner {

  /** 15 hex digits keep the size below 2^60, far from overflow. */
  private static final int MAX_SIZE_DIGITS = 15;

  private enum State {
    SIZE_START, SIZE, EXTENSION, SIZE_LF, DATA, DATA_END, DATA_LF,
    TRAILER_START, TRAILER_NAME, TRAILER_VALUE, TRAILER_LF, FINAL_LF, DONE, FAILED
  }

  private final HttpLimits limits;
  private State state = State.SIZE_START;
  private long size;
  private int sizeDigits;
  private int lineBytes;
  private long remaining;
  private int trailerBytes;
  private int trailerFields;
  private HttpRejection failure;

  ChunkedBodyScanner(HttpLimits limits) {
    this.limits = limits;
  }

  void reset() {
    state = State.SIZE_START;
    size = 0;
    sizeDigits = 0;
    lineBytes = 0;
    remaining = 0;
    trailerBytes = 0;
    trailerFields = 0;
    failure = null;
  }

  /** Whether the last scan reached the end of the body. */
  boolean done() {
    return state == State.DONE;
  }

  /** Why the body is malformed, once a scan met the bad byte; null otherwise. */
  HttpRejection failure() {
    return failure;
  }

  /**
   * Scans the readable bytes of {@code in} without moving its reader index.
   *
   * @return how many of them belong to the body: all of them, or fewer when the body ends inside {@code in} or a
   *     bad byte is met (then {@link #failure()} is set and later scans return 0)
   */
  int scan(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int i = start;
    while (i < end && state != State.DONE && state != State.FAILED) {
      if (state == State.DATA) {
        int n = (int) Math.min(remaining, end - i);
        i += n;
        remaining -= n;
        if (remaining == 0) {
          state = State.DATA_END;
        }
        continue;
      }
      try {
        step(in.getUnsignedByte(i));
      } catch (HttpRejection e) {
        failure = e;
        state = State.FAILED;
        break;
      }
      i++;
    }
    return i - start;
  }

  private void step(int b) {
    switch (state) {
      case SIZE_START -> {
        int v = HttpChars.hexValue(b);
        if (v < 0) {
          throw new HttpRejection(400, "bad chunk size");
        }
        size = v;
        sizeDigits = 1;
        lineBytes = 1;
        state = State.SIZE;
      }
      case SIZE -> {
        int v = HttpChars.hexValue(b);
        if (v >= 0) {
          countLineByte();
          if (++sizeDigits > MAX_SIZE_DIGITS) {
            throw new HttpRejection(400, "chunk size too large");
          }
          size = size * 16 + v;
        } else if (b == ';' || b == ' ' || b == '\t') {
          countLineByte();
          state = State.EXTENSION;
        } else {
          endOfSizeLine(b);
        }
      }
      case EXTENSION -> {
        if (b == '\r' || b == '\n') {
          endOfSizeLine(b);
        } else if (!HttpChars.isFieldValueChar(b)) {
          throw new HttpRejection(400, "control character in chunk extension");
        } else {
          countLineByte();
        }
      }
      case SIZE_LF -> {
        expectLf(b);
        sizeLineDone();
      }
      case DATA_END -> {
        if (b == '\r') {
          state = State.DATA_LF;
        } else if (b == '\n') {
          state = State.SIZE_START;
        } else {
          throw new HttpRejection(400, "chunk data not followed by CRLF");
        }
      }
      case DATA_LF -> {
        expectLf(b);
        state = State.SIZE_START;
      }
      case TRAILER_START -> {
        countTrailerByte();
        if (b == '\r') {
          state = State.FINAL_LF;
        } else if (b == '\n') {
          state = State.DONE;
        } else if (HttpChars.isOws(b)) {
          throw new HttpRejection(400, "obsolete line folding in trailer");
        } else if (HttpChars.isTchar(b)) {
          if (++trailerFields > limits.maxHeaderFields()) {
            throw new HttpRejection(431, "too many trailer fields");
          }
          state = State.TRAILER_NAME;
        } else {
          throw new HttpRejection(400, "bad trailer field name");
        }
      }
      case TRAILER_NAME -> {
        countTrailerByte();
        if (b == ':') {
          state = State.TRAILER_VALUE;
        } else if (!HttpChars.isTchar(b)) {
          throw new HttpRejection(400, "bad trailer field name");
        }
      }
      case TRAILER_VALUE -> {
        countTrailerByte();
        if (b == '\r') {
          state = State.TRAILER_LF;
        } else if (b == '\n') {
          state = State.TRAILER_START;
        } else if (!HttpChars.isFieldValueChar(b)) {
          throw new HttpRejection(400, "control character in trailer");
        }
      }
      case TRAILER_LF -> {
        countTrailerByte();
        expectLf(b);
        state = State.TRAILER_START;
      }
      case FINAL_LF -> {
        expectLf(b);
        state = State.DONE;
      }
      default -> throw new IllegalStateException(state.name());
    }
  }

  private void endOfSizeLine(int b) {
    if (b == '\r') {
      state = State.SIZE_LF;
    } else if (b == '\n') {
      sizeLineDone();
    } else {
      throw new HttpRejection(400, "bad chunk size");
    }
  }

  private void sizeLineDone() {
    if (size == 0) {
      state = State.TRAILER_START;
    } else {
      remaining = size;
      state = State.DATA;
    }
  }

  private void countLineByte() {
    if (++lineBytes > limits.maxChunkLineBytes()) {
      throw new HttpRejection(400, "chunk-size line too long");
    }
  }

  private void countTrailerByte() {
    if (++trailerBytes > limits.maxHeadBytes()) {
      throw new HttpRejection(431, "trailer section too large");
    }
  }

  private static void expectLf(int b) {
    if (b != '\n') {
      throw new HttpRejection(400, "CR not followed by LF");
    }
  }
}
