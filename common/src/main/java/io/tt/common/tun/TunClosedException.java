package io.tt.common.tun;

/** The device was closed (possibly by another thread while this one was blocked in read). */
public final class TunClosedException extends TunException {
  private static final long serialVersionUID = 1L;

  public TunClosedException(String deviceName) {
    super("TUN device " + deviceName + " is closed");
  }
}
