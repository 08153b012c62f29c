package io.tt.common.tun;

/**
 * TUN mode is not available on this operating system. Thrown by {@link TunDevices#open} before
 * anything native is touched, with a message a user can act on.
 */
public final class UnsupportedTunException extends TunException {
  private static final long serialVersionUID = 1L;

  public UnsupportedTunException(String message) {
    super(message);
  }
}
