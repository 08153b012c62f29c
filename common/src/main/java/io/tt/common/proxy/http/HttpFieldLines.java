package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/** Parses one field line {@code name ":" OWS value OWS} (RFC 9112 section 5), strictly. */
final class HttpFieldLines {

  private HttpFieldLines() {
  }

  /**
   * @param line the line without CR LF
   * @throws HttpRejection 400 on obs-fold (a line starting with SP/HTAB), a missing colon, a non-token name
   *     (which includes whitespace before the colon) or a control byte (CR, NUL, ...) in the value
   */
  static HttpField parse(ByteBuf line) {
    int start = line.readerIndex();
    int end = line.writerIndex();
    if (HttpChars.isOws(line.getByte(start))) {
      throw new HttpRejection(400, "obsolete line folding");
    }
    int colon = -1;
    for (int i = start; i < end; i++) {
      byte b = line.getByte(i);
      if (b == ':') {
        colon = i;
        break;
      }
      if (!HttpChars.isTchar(b)) {
        throw new HttpRejection(400, "bad field name");
      }
    }
    if (colon <= start) {
      throw new HttpRejection(400, colon < 0 ? "field line without colon" : "empty field name");
    }
    int vs = colon + 1;
    int ve = end;
    while (vs < ve && HttpChars.isOws(line.getByte(vs))) {
      vs++;
    }
    while (ve > vs && HttpChars.isOws(line.getByte(ve - 1))) {
      ve--;
    }
    for (int i = vs; i < ve; i++) {
      if (!HttpChars.isFieldValueChar(line.getUnsignedByte(i))) {
        throw new HttpRejection(400, "control character in field value");
      }
    }
    return new HttpField(line.toString(start, colon - start, StandardCharsets.ISO_8859_1),
        line.toString(vs, ve - vs, StandardCharsets.ISO_8859_1));
  }
}
