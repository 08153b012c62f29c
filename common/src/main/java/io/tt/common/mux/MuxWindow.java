package io.tt.common.mux;

/**
 * Flow control of one mux stream, both ways (PROTOCOL.md section 5.3): how many DATA bytes this side may still
 * send, and how many the peer may, with the WINDOW grants that move both limits. Pure arithmetic, no I/O.
 *
 * <p>Every stream starts with {@link #INITIAL} bytes of credit each way. This side grants as it hands bytes to its
 * local connection: the first grant after {@link #GRANT_STEP} bytes, which also raises the window from
 * {@link #INITIAL} to the configured one, then one per quarter of that window (a WINDOW frame per MiB of a bulk
 * stream with the client's 4 MiB, not one per read: each costs the peer a wake-up). A short stream (a request and
 * its answer) never sends a WINDOW frame at all.
 */
public final class MuxWindow {

  /** Each side's credit per stream before any WINDOW frame. */
  public static final int INITIAL = 262_144;
  /** Delivered bytes that earn the first WINDOW frame (less than {@link #INITIAL}, or the peer would stall). */
  public static final int GRANT_STEP = 65_536;
  /** The largest increment a WINDOW frame may carry. */
  public static final long MAX_INCREMENT = Integer.MAX_VALUE;

  private final long receiveWindow;
  private long sendLimit = INITIAL;
  private long sent;
  private long receiveLimit = INITIAL;
  private long received;
  private long deliveredNotGranted;
  private boolean widened;

  /** @param receiveWindow the credit this side wants the peer to have (at least {@link #INITIAL}) */
  public MuxWindow(long receiveWindow) {
    if (receiveWindow < INITIAL || receiveWindow > MAX_INCREMENT) {
      throw new IllegalArgumentException("receive window must be " + INITIAL + ".." + MAX_INCREMENT);
    }
    this.receiveWindow = receiveWindow;
  }

  /** Bytes this side may send now. */
  public long sendCredit() {
    return sendLimit - sent;
  }

  /** This side sent {@code n} DATA bytes (at most {@link #sendCredit()}). */
  public void sent(int n) {
    if (n > sendCredit()) {
      throw new IllegalStateException("sent beyond the peer's window");
    }
    sent += n;
  }

  /**
   * The peer granted {@code increment} more bytes.
   *
   * @return false if the increment is out of range (0, negative as unsigned, or the limit would overflow)
   */
  public boolean granted(long increment) {
    if (increment < 1 || increment > MAX_INCREMENT || sendLimit - sent > Long.MAX_VALUE / 2) {
      return false;
    }
    sendLimit += increment;
    return true;
  }

  /**
   * The peer sent {@code n} DATA bytes.
   *
   * @return false if that is more than it was allowed: a protocol violation
   */
  public boolean received(int n) {
    received += n;
    return received <= receiveLimit;
  }

  /** {@code n} received bytes were handed to the local connection (they no longer count against the window). */
  public void delivered(int n) {
    deliveredNotGranted += n;
  }

  /**
   * The increment to send in a WINDOW frame now, or 0 when not worth one yet; the receive limit moves with it.
   */
  public long takeGrant() {
    if (deliveredNotGranted < (widened ? Math.max(GRANT_STEP, receiveWindow / 4) : GRANT_STEP)) {
      return 0;
    }
    long grant = deliveredNotGranted;
    if (!widened) {
      widened = true;
      grant += receiveWindow - INITIAL;
    }
    deliveredNotGranted = 0;
    receiveLimit += grant;
    return grant;
  }
}
