package io.tt.common.mux;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mux stream's flow control (PROTOCOL.md section 5.3): credit each way, grants, and what breaks the rules. */
class MuxWindowTest {

  @Test
  void aSenderHasTheInitialWindowThenWhatIsGranted() {
    MuxWindow w = new MuxWindow(4 << 20);
    assertEquals(MuxWindow.INITIAL, w.sendCredit());
    w.sent(MuxWindow.INITIAL);
    assertEquals(0, w.sendCredit());
    assertThrows(IllegalStateException.class, () -> w.sent(1), "no sending beyond the window");
    assertTrue(w.granted(1000));
    assertEquals(1000, w.sendCredit());
  }

  @Test
  void badIncrementsAreRefused() {
    MuxWindow w = new MuxWindow(MuxWindow.INITIAL);
    assertFalse(w.granted(0));
    assertFalse(w.granted(-1));
    assertFalse(w.granted(1L << 31));
    assertTrue(w.granted(Integer.MAX_VALUE));
  }

  @Test
  void aPeerThatSendsBeyondItsWindowIsCaught() {
    MuxWindow w = new MuxWindow(4 << 20);
    assertTrue(w.received(MuxWindow.INITIAL));
    assertFalse(w.received(1), "one byte beyond the initial window");
  }

  /** Short streams never grant; the first grant widens the window to the configured one, later ones a quarter. */
  @Test
  void grantsComeInSteps() {
    int window = 4 << 20;
    MuxWindow w = new MuxWindow(window);
    assertTrue(w.received(1024));
    w.delivered(1024);
    assertEquals(0, w.takeGrant(), "a request's worth earns no WINDOW frame");
    assertTrue(w.received(MuxWindow.GRANT_STEP));
    w.delivered(MuxWindow.GRANT_STEP);
    long first = w.takeGrant();
    assertEquals(1024 + MuxWindow.GRANT_STEP + window - MuxWindow.INITIAL, first, "delivered bytes plus the widening");
    // The peer may now have the configured window in flight, and not a byte more.
    long inFlight = window;
    assertTrue(w.received((int) inFlight));
    assertFalse(w.received(1));
  }

  @Test
  void afterWideningAGrantWaitsForAQuarterOfTheWindow() {
    int window = 4 << 20;
    MuxWindow w = new MuxWindow(window);
    w.received(MuxWindow.GRANT_STEP);
    w.delivered(MuxWindow.GRANT_STEP);
    assertTrue(w.takeGrant() > 0);
    w.received(window / 4 - 1);
    w.delivered(window / 4 - 1);
    assertEquals(0, w.takeGrant());
    w.received(1);
    w.delivered(1);
    assertEquals(window / 4, w.takeGrant());
  }

  @Test
  void aWindowOutsideItsBoundsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new MuxWindow(MuxWindow.INITIAL - 1));
    assertThrows(IllegalArgumentException.class, () -> new MuxWindow(1L << 31));
  }
}
