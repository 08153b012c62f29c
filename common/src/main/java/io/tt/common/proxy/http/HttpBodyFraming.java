package io.tt.common.proxy.http;

import java.util.List;

/**
 * How a message's body is delimited (RFC 9112 section 6.3). Transfer-Encoding and Content-Length together are
 * refused rather than resolved: a message carrying both is the classic request smuggling vector, and TT forwards
 * bodies byte for byte, so it cannot drop one of them as an intermediary that re-frames could.
 *
 * @param length the body length for {@link Kind#LENGTH}, else 0
 */
public record HttpBodyFraming(Kind kind, long length) {

  public enum Kind {
    /** No body. */
    NONE,
    /** Exactly {@code length} bytes. */
    LENGTH,
    /** Chunked transfer coding, forwarded verbatim. */
    CHUNKED,
    /** Responses only: everything until the origin closes. */
    UNTIL_CLOSE
  }

  public static final HttpBodyFraming NONE = new HttpBodyFraming(Kind.NONE, 0);
  public static final HttpBodyFraming CHUNKED = new HttpBodyFraming(Kind.CHUNKED, 0);
  public static final HttpBodyFraming UNTIL_CLOSE = new HttpBodyFraming(Kind.UNTIL_CLOSE, 0);

  /** More digits could overflow a long. */
  private static final int MAX_LENGTH_DIGITS = 18;

  static HttpBodyFraming length(long n) {
    return n == 0 ? NONE : new HttpBodyFraming(Kind.LENGTH, n);
  }

  /**
   * @throws HttpRejection 400 for CL with TE, TE in HTTP/1.0, TE whose final coding is not chunked, or a
   *     Content-Length that is repeated, a list, signed, non-numeric or too large
   */
  static HttpBodyFraming forRequest(HttpFields fields, int minorVersion) {
    if (fields.count("transfer-encoding") > 0) {
      if (fields.count("content-length") > 0) {
        throw new HttpRejection(400, "both Content-Length and Transfer-Encoding");
      }
      if (minorVersion == 0) {
        throw new HttpRejection(400, "Transfer-Encoding in an HTTP/1.0 request");
      }
      if (!chunkedIsFinal(fields)) {
        throw new HttpRejection(400, "chunked is not the final transfer coding");
      }
      return CHUNKED;
    }
    if (fields.count("content-length") > 0) {
      return length(parseContentLength(fields.all("content-length"), 400));
    }
    return NONE;
  }

  /**
   * @param requestWasHead a response to HEAD has no body whatever its fields say
   * @throws HttpRejection (status 502) for framing TT cannot forward safely
   */
  static HttpBodyFraming forResponse(HttpResponseHead head, boolean requestWasHead) {
    int status = head.status();
    if (requestWasHead || status < 200 || status == 204 || status == 304) {
      return NONE;
    }
    HttpFields fields = head.fields();
    if (fields.count("transfer-encoding") > 0) {
      if (fields.count("content-length") > 0) {
        throw new HttpRejection(502, "both Content-Length and Transfer-Encoding in response");
      }
      if (head.minorVersion() == 0) {
        throw new HttpRejection(502, "Transfer-Encoding in an HTTP/1.0 response");
      }
      return chunkedIsFinal(fields) ? CHUNKED : UNTIL_CLOSE;
    }
    if (fields.count("content-length") > 0) {
      return length(parseContentLength(fields.all("content-length"), 502));
    }
    return UNTIL_CLOSE;
  }

  /** chunked must be the last coding and appear once (RFC 9112 section 6.1). */
  private static boolean chunkedIsFinal(HttpFields fields) {
    List<String> codings = fields.tokens("transfer-encoding");
    int chunked = 0;
    for (String c : codings) {
      int semi = c.indexOf(';');
      if ((semi < 0 ? c : c.substring(0, semi).trim()).equals("chunked")) {
        chunked++;
      }
    }
    return chunked == 1 && codings.get(codings.size() - 1).equals("chunked");
  }

  private static long parseContentLength(List<String> values, int status) {
    if (values.size() != 1) {
      throw new HttpRejection(status, "repeated Content-Length");
    }
    String v = values.get(0);
    if (v.isEmpty() || v.length() > MAX_LENGTH_DIGITS) {
      throw new HttpRejection(status, "bad Content-Length");
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        throw new HttpRejection(status, "bad Content-Length");
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
