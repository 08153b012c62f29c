package io.tt.common.proxy.http;

/** Character classes of RFC 9110 section 5.6 on raw bytes. */
final class HttpChars {

  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (int c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  private HttpChars() {
  }

  /** A token character (methods, field names, transfer codings). */
  static boolean isTchar(int b) {
    return TCHAR[b & 0xFF];
  }

  /** VCHAR: visible US-ASCII. */
  static boolean isVchar(int b) {
    return b >= 0x21 && b <= 0x7E;
  }

  /** What a field value (or reason phrase) may hold: HTAB, SP, VCHAR, obs-text. No CR, LF, NUL or other controls. */
  static boolean isFieldValueChar(int b) {
    return b == '\t' || b == ' ' || isVchar(b) || b >= 0x80;
  }

  /** Optional whitespace. */
  static boolean isOws(int b) {
    return b == ' ' || b == '\t';
  }

  /** Value of a hex digit, or -1. */
  static int hexValue(int b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }
}
