package io.tt.common.tun;

/**
 * A packet was larger than the read buffer. The kernel copies what fits and discards the rest, so
 * the packet is lost; this is reported rather than handing on a cut-off packet. The device itself
 * is fine: keep reading, with a buffer of at least the MTU.
 */
public final class TunTruncatedPacketException extends TunException {
  private static final long serialVersionUID = 1L;

  public TunTruncatedPacketException(String message) {
    super(message);
  }
}
