package io.tt.common.tun;

import java.io.IOException;

/** A TUN device could not be opened, configured, read or written; the message says what and why. */
public class TunException extends IOException {
  private static final long serialVersionUID = 1L;

  public TunException(String message) {
    super(message);
  }

  public TunException(String message, Throwable cause) {
    super(message, cause);
  }
}
