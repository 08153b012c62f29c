package io.tt.common.proxy.http;

/**
 * A parsed request head.
 *
 * @param method the method token, case-sensitive as RFC 9110 says
 * @param target the request-target as received (origin-, absolute-, authority- or asterisk-form)
 * @param minorVersion 0 for HTTP/1.0, 1 for HTTP/1.1 (higher 1.x minors are read as 1)
 */
public record HttpRequestHead(String method, String target, int minorVersion, HttpFields fields) {

  /** The version as sent on a request line. */
  public String version() {
    return minorVersion == 0 ? "HTTP/1.0" : "HTTP/1.1";
  }
}
