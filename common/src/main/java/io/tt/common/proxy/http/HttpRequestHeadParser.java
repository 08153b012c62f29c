package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental request head parser: feed it input as it comes; it consumes the head's bytes and returns the head
 * once the empty line ending it has arrived. States: start line (empty lines before it are skipped, RFC 9112
 * section 2.2), then field lines. Caps: start line 414, head size and field count 431.
 */
final class HttpRequestHeadParser {

  private final HttpLimits limits;
  private final HttpLineReader lines = new HttpLineReader();
  private final List<HttpField> fields = new ArrayList<>();
  private boolean inFields;
  private String method;
  private String target;
  private int minorVersion;

  HttpRequestHeadParser(HttpLimits limits) {
    this.limits = limits;
  }

  /**
   * @return the head, with {@code in} positioned just after it; or {@code null} when all of {@code in} was absorbed
   * @throws HttpRejection on anything malformed or over a cap; the parser is then unusable
   */
  HttpRequestHead parse(ByteBuf in) {
    while (true) {
      if (!inFields && !lines.midLine() && in.isReadable()) {
        // Refuse non-HTTP at its first byte instead of buffering up to the line cap.
        int first = in.getUnsignedByte(in.readerIndex());
        if (first != '\r' && first != '\n' && !HttpChars.isTchar(first)) {
          throw new HttpRejection(400, "not an HTTP request");
        }
      }
      ByteBuf line = inFields
          ? lines.readLine(in, HttpLineReader.NO_LINE_CAP, 431, limits.maxHeadBytes())
          : lines.readLine(in, limits.maxStartLineBytes(), 414, limits.maxHeadBytes());
      if (line == null) {
        return null;
      }
      if (!inFields) {
        if (line.isReadable()) {
          parseRequestLine(line);
          inFields = true;
        }
      } else if (!line.isReadable()) {
        HttpRequestHead head = new HttpRequestHead(method, target, minorVersion, new HttpFields(fields));
        reset();
        return head;
      } else {
        if (fields.size() >= limits.maxHeaderFields()) {
          throw new HttpRejection(431, "too many header fields");
        }
        fields.add(HttpFieldLines.parse(line));
      }
    }
  }

  /** Whether nothing of a head has been consumed yet. */
  boolean idle() {
    return lines.headBytes() == 0;
  }

  void reset() {
    lines.reset();
    fields.clear();
    inFields = false;
    method = null;
    target = null;
  }

  /** {@code method SP request-target SP HTTP-version}, single spaces, visible ASCII only. */
  private void parseRequestLine(ByteBuf line) {
    int start = line.readerIndex();
    int end = line.writerIndex();
    int sp1 = -1;
    int sp2 = -1;
    for (int i = start; i < end; i++) {
      int b = line.getUnsignedByte(i);
      if (b == ' ') {
        if (sp1 < 0) {
          sp1 = i;
        } else if (sp2 < 0) {
          sp2 = i;
        } else {
          throw new HttpRejection(400, "malformed request line");
        }
      } else if (!HttpChars.isVchar(b)) {
        throw new HttpRejection(400, "control or non-ASCII byte in request line");
      }
    }
    if (sp1 <= start || sp2 <= sp1 + 1 || sp2 == end - 1) {
      throw new HttpRejection(400, "malformed request line");
    }
    for (int i = start; i < sp1; i++) {
      if (!HttpChars.isTchar(line.getByte(i))) {
        throw new HttpRejection(400, "bad method");
      }
    }
    method = line.toString(start, sp1 - start, StandardCharsets.US_ASCII);
    target = line.toString(sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
    minorVersion = HttpVersions.parseMinor(line, sp2 + 1, end);
  }
}
