package io.tt.common.wire;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 6479 sliding window: each number once, nothing more than 2048 behind the highest. */
class ReplayWindowTest {

  @Test
  void firstNumberAnywhereIsAccepted() {
    for (long first : new long[] {0, 1, 63, 64, 2047, 2048, 1L << 40, Long.MAX_VALUE - 1}) {
      ReplayWindow w = new ReplayWindow();
      assertTrue(w.check(first), "first " + first);
      assertTrue(w.mark(first));
      assertFalse(w.check(first), "again " + first);
      assertFalse(w.mark(first));
      assertEquals(first, w.highest());
    }
  }

  @Test
  void negativeNumbersAreRefused() {
    ReplayWindow w = new ReplayWindow();
    assertFalse(w.check(-1));
    assertFalse(w.mark(Long.MIN_VALUE));
    assertEquals(-1, w.highest());
  }

  @Test
  void inOrderEachOnce() {
    ReplayWindow w = new ReplayWindow();
    for (long n = 0; n < 10_000; n++) {
      assertTrue(w.mark(n), "n=" + n);
    }
    for (long n = 10_000 - ReplayWindow.SIZE; n < 10_000; n++) {
      assertFalse(w.check(n), "replay n=" + n);
    }
  }

  @Test
  void windowEdgeIsExactly2048() {
    ReplayWindow w = new ReplayWindow();
    w.mark(5000);
    assertTrue(w.check(5000 - ReplayWindow.SIZE + 1), "2047 behind is inside");
    assertFalse(w.check(5000 - ReplayWindow.SIZE), "2048 behind is outside");
    assertTrue(w.mark(5000 - ReplayWindow.SIZE + 1));
    assertFalse(w.check(5000 - ReplayWindow.SIZE + 1));
  }

  @Test
  void lateNumbersInsideTheWindowAreAcceptedOnce() {
    ReplayWindow w = new ReplayWindow();
    w.mark(100);
    w.mark(3000); // 100 is now outside
    assertFalse(w.check(100));
    assertTrue(w.mark(2999));
    assertTrue(w.mark(1000)); // 2000 behind
    assertFalse(w.mark(1000));
    assertFalse(w.check(3000 - 2048));
  }

  @Test
  void bigJumpForgetsEverythingBehindTheWindow() {
    ReplayWindow w = new ReplayWindow();
    for (long n = 0; n < 64 * 40; n++) {
      w.mark(n);
    }
    long far = 1_000_000;
    assertTrue(w.mark(far));
    // Every number inside the new window is fresh, even where old bits lived in the same ring slots.
    for (long n = far - ReplayWindow.SIZE + 1; n < far; n++) {
      assertTrue(w.check(n), "n=" + n);
    }
  }

  @Test
  void blockBoundaryJumpsClearOnlyWhatLeftTheWindow() {
    ReplayWindow w = new ReplayWindow();
    w.mark(63);
    w.mark(64);
    w.mark(2111); // 63 is now 2048 behind (out), 64 is 2047 behind (in)
    assertFalse(w.check(63));
    assertFalse(w.check(64), "64 was marked and is still inside the window");
    assertTrue(w.check(65));
  }

  /** Against a model (a set of marked numbers plus the window rule), on random traffic with reordering. */
  @Test
  void matchesAModelOnRandomTraffic() {
    Random rnd = new Random(6479);
    ReplayWindow w = new ReplayWindow();
    TreeSet<Long> seen = new TreeSet<>();
    long highest = -1;
    long base = 0;
    for (int i = 0; i < 200_000; i++) {
      base += rnd.nextInt(3);
      long n = Math.max(0, base + rnd.nextInt(6000) - 3000 + (rnd.nextInt(1000) == 0 ? 100_000 : 0));
      boolean expect = !seen.contains(n) && (n > highest || highest - n < ReplayWindow.SIZE);
      assertEquals(expect, w.check(n), "check n=" + n + " highest=" + highest);
      if (rnd.nextBoolean()) {
        assertEquals(expect, w.mark(n));
        if (expect) {
          seen.add(n);
          highest = Math.max(highest, n);
          base = Math.max(base, n - 1000);
        }
      }
      if (seen.size() > 50_000) {
        seen.headSet(highest - 3 * ReplayWindow.SIZE).clear();
      }
    }
  }
}
