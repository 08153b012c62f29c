package io.tt.common.wire;

/** An authenticated peer sent something the protocol does not allow. Messages never carry secrets or payload. */
public final class ProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
