package io.tt.common.wire;

/**
 * The per-session sliding window of packet numbers (RFC 6479, as in WireGuard): accepts each number at most once
 * and refuses numbers more than {@link #SIZE} behind the highest one seen.
 *
 * <p>A ring of 64-bit blocks; moving the window forward clears whole blocks, so a jump costs at most one pass over
 * the ring and nothing is allocated. Checking and marking are separate because a number may only be marked after
 * its datagram authenticated: otherwise forged datagrams could burn numbers the real sender has not used yet.
 * Not thread-safe: one per session direction, used on one thread.
 */
public final class ReplayWindow {

  /** Packet numbers accepted behind the highest one seen (PROTOCOL.md section 6). */
  public static final int SIZE = 2048;
  private static final int BLOCK_BITS = 64;
  /** One spare block so that after a block is cleared for new numbers, SIZE older numbers are still tracked. */
  private static final int BLOCKS = SIZE / BLOCK_BITS + 1;

  private final long[] ring = new long[BLOCKS];
  /** Highest number marked so far; -1 before the first. */
  private long highest = -1;

  /**
   * Whether {@code n} may still be accepted: not negative (packet numbers are below 2^63 in practice), not
   * marked, and not older than the window.
   */
  public boolean check(long n) {
    if (n < 0) {
      return false;
    }
    if (n > highest) {
      return true;
    }
    if (highest - n >= SIZE) {
      return false;
    }
    return (ring[blockOf(n)] & bit(n)) == 0;
  }

  /**
   * Marks {@code n} as used (after its datagram authenticated), sliding the window forward when {@code n} is
   * the new highest.
   *
   * @return false if {@code n} was not acceptable ({@link #check} would have refused it); nothing changes then
   */
  public boolean mark(long n) {
    if (!check(n)) {
      return false;
    }
    if (n > highest) {
      long newBlock = n >>> 6;
      long oldBlock = highest >>> 6;
      long clear = highest < 0 ? BLOCKS : Math.min(newBlock - oldBlock, BLOCKS);
      for (long b = newBlock - clear + 1; b <= newBlock; b++) { // the blocks after the old highest's, up to n's
        ring[(int) Math.floorMod(b, (long) BLOCKS)] = 0;
      }
      highest = n;
    }
    ring[blockOf(n)] |= bit(n);
    return true;
  }

  /** The highest number marked, or -1. */
  public long highest() {
    return highest;
  }

  private static int blockOf(long n) {
    return (int) ((n >>> 6) % BLOCKS);
  }

  private static long bit(long n) {
    return 1L << (n & (BLOCK_BITS - 1));
  }
}
