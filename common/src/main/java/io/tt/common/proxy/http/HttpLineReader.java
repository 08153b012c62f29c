package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Splits a head into lines as bytes arrive, in one pass: a line is searched for its LF once, and only the part of
 * a line cut by the end of an input buffer is copied (into {@link #partial}). Both caps are checked before any byte
 * is kept, so memory stays bounded by the head cap whatever the peer sends. A line ends at LF; one CR before the LF
 * is dropped (CRLF or bare LF are both accepted); a CR anywhere else stays in the line for the line parser to refuse.
 */
final class HttpLineReader {

  /** For field lines: only the head cap applies. */
  static final int NO_LINE_CAP = Integer.MAX_VALUE - 1;

  private final ByteBuf partial = Unpooled.buffer(128);
  /** The last line returned lives in {@link #partial}; clear it before reading on. */
  private boolean partialIsLine;
  private int headBytes;

  /** Bytes consumed for the current head so far. */
  int headBytes() {
    return headBytes;
  }

  /** Whether part of a line is held, waiting for its end. */
  boolean midLine() {
    return !partialIsLine && partial.isReadable();
  }

  void reset() {
    partial.clear();
    partialIsLine = false;
    headBytes = 0;
  }

  /**
   * Returns the next line (without CR LF) as a view valid until the next call, consuming it from {@code in}; or
   * {@code null} once all of {@code in} has been absorbed without finding the line's end.
   *
   * @param maxLine longest line content allowed; over it {@code tooLongStatus} is thrown
   * @param maxHead cap on all bytes of the head; over it 431 is thrown
   */
  ByteBuf readLine(ByteBuf in, int maxLine, int tooLongStatus, int maxHead) {
    if (partialIsLine) {
      partial.clear();
      partialIsLine = false;
    }
    int start = in.readerIndex();
    int end = in.writerIndex();
    int lf = in.indexOf(start, end, (byte) '\n');
    if (lf < 0) {
      int taken = end - start;
      // One more byte than maxLine may be a CR whose LF is still to come.
      if ((long) partial.readableBytes() + taken > (long) maxLine + 1) {
        throw new HttpRejection(tooLongStatus, "line too long");
      }
      checkHead(taken, maxHead);
      partial.writeBytes(in, taken);
      headBytes += taken;
      return null;
    }
    int taken = lf + 1 - start;
    int lineLength = partial.readableBytes() + taken - 1;
    boolean cr = lineLength > 0
        && (lf > start ? in.getByte(lf - 1) : partial.getByte(partial.writerIndex() - 1)) == '\r';
    int content = lineLength - (cr ? 1 : 0);
    if (content > maxLine) {
      throw new HttpRejection(tooLongStatus, "line too long");
    }
    checkHead(taken, maxHead);
    headBytes += taken;
    if (partial.isReadable()) {
      partial.writeBytes(in, taken);
      partialIsLine = true;
      return partial.slice(partial.readerIndex(), content);
    }
    in.skipBytes(taken);
    return in.slice(start, content);
  }

  private void checkHead(int more, int maxHead) {
    if ((long) headBytes + more > maxHead) {
      throw new HttpRejection(431, "head too large");
    }
  }
}
