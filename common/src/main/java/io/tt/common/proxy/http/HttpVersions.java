package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;

/** The {@code HTTP/DIGIT.DIGIT} version token (RFC 9112 section 2.3). */
final class HttpVersions {

  private HttpVersions() {
  }

  /**
   * @return the minor version, capped at 1 (HTTP/1.x minors are compatible)
   * @throws HttpRejection 400 if the token is malformed, 505 if the major version is not 1
   */
  static int parseMinor(ByteBuf line, int start, int end) {
    if (end - start != 8 || line.getByte(start) != 'H' || line.getByte(start + 1) != 'T'
        || line.getByte(start + 2) != 'T' || line.getByte(start + 3) != 'P' || line.getByte(start + 4) != '/'
        || !isDigit(line.getByte(start + 5)) || line.getByte(start + 6) != '.' || !isDigit(line.getByte(start + 7))) {
      throw new HttpRejection(400, "malformed HTTP version");
    }
    if (line.getByte(start + 5) != '1') {
      throw new HttpRejection(505, "HTTP version not supported");
    }
    return Math.min(1, line.getByte(start + 7) - '0');
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
