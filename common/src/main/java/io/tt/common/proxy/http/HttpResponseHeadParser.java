package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental response head parser, the twin of {@link HttpRequestHeadParser} for what origins send back:
 * {@code HTTP-version SP 3DIGIT [SP reason]} then field lines. Any rejection means "not a response we can frame".
 */
final class HttpResponseHeadParser {

  private final HttpLimits limits;
  private final HttpLineReader lines = new HttpLineReader();
  private final List<HttpField> fields = new ArrayList<>();
  private boolean inFields;
  private int minorVersion;
  private int status;
  private String reason;

  HttpResponseHeadParser(HttpLimits limits) {
    this.limits = limits;
  }

  /** @return the head with {@code in} just after it, or {@code null} when all of {@code in} was absorbed */
  HttpResponseHead parse(ByteBuf in) {
    while (true) {
      ByteBuf line = inFields
          ? lines.readLine(in, HttpLineReader.NO_LINE_CAP, 431, limits.maxHeadBytes())
          : lines.readLine(in, limits.maxStartLineBytes(), 502, limits.maxHeadBytes());
      if (line == null) {
        return null;
      }
      if (!inFields) {
        parseStatusLine(line);
        inFields = true;
      } else if (!line.isReadable()) {
        HttpResponseHead head = new HttpResponseHead(minorVersion, status, reason, new HttpFields(fields));
        reset();
        return head;
      } else {
        if (fields.size() >= limits.maxHeaderFields()) {
          throw new HttpRejection(431, "too many header fields in response");
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
    reason = null;
  }

  private void parseStatusLine(ByteBuf line) {
    int start = line.readerIndex();
    int end = line.writerIndex();
    if (end - start < 12 || line.getByte(start + 8) != ' ') {
      throw new HttpRejection(502, "malformed status line");
    }
    minorVersion = HttpVersions.parseMinor(line, start, start + 8);
    int code = 0;
    for (int i = start + 9; i < start + 12; i++) {
      byte b = line.getByte(i);
      if (b < '0' || b > '9') {
        throw new HttpRejection(502, "malformed status code");
      }
      code = code * 10 + (b - '0');
    }
    if (code < 100 || code > 599) {
      throw new HttpRejection(502, "status code out of range");
    }
    status = code;
    // Some servers omit the SP before an empty reason; RFC 9112 asks recipients to accept that.
    if (end > start + 12 && line.getByte(start + 12) != ' ') {
      throw new HttpRejection(502, "malformed status line");
    }
    for (int i = start + 13; i < end; i++) {
      if (!HttpChars.isFieldValueChar(line.getUnsignedByte(i))) {
        throw new HttpRejection(502, "control character in reason phrase");
      }
    }
    reason = end > start + 13 ? line.toString(start + 13, end - start - 13, StandardCharsets.ISO_8859_1) : "";
  }
}
