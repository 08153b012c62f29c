package io.tt.common.proxy.http;

/**
 * Input an HTTP proxy must refuse, with the status to answer (400, 405, 407, 414, 431, 505; for responses from an
 * origin the status is only informative). The message is a fixed text naming the rule broken, never input bytes,
 * so it is safe to log. No stack trace: hostile input is an expected outcome, not a bug.
 */
public final class HttpRejection extends RuntimeException {

  private final int status;

  public HttpRejection(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
