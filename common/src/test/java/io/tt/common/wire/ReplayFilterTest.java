package io.tt.common.wire;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplayFilterTest {

  private static byte[] salt(int i) {
    byte[] s = new byte[32];
    s[0] = (byte) i;
    s[31] = (byte) (i >> 8);
    return s;
  }

  @Test
  void exactWithinRetentionAndForgetsAfterTwice() {
    LocalReplayFilter f = new LocalReplayFilter(1000, 1000);
    assertEquals(ReplayFilter.Verdict.FRESH, f.checkAndRecord(salt(1), 0));
    assertEquals(ReplayFilter.Verdict.REPLAY, f.checkAndRecord(salt(1), 10));
    assertEquals(ReplayFilter.Verdict.FRESH, f.checkAndRecord(salt(2), 10), "no false positive for another salt");
    assertEquals(ReplayFilter.Verdict.REPLAY, f.checkAndRecord(salt(1), 1500), "still known after one rotation");
    assertEquals(ReplayFilter.Verdict.FRESH, f.checkAndRecord(salt(3), 1500));
    assertEquals(ReplayFilter.Verdict.FRESH, f.checkAndRecord(salt(1), 4000), "forgotten after two periods");
  }

  @Test
  void fullRefusesInsteadOfForgetting() {
    LocalReplayFilter f = new LocalReplayFilter(60_000, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(ReplayFilter.Verdict.FRESH, f.checkAndRecord(salt(i), 0));
    }
    assertEquals(ReplayFilter.Verdict.FULL, f.checkAndRecord(salt(9), 1));
    assertEquals(ReplayFilter.Verdict.REPLAY, f.checkAndRecord(salt(0), 1), "known salts are still replays when full");
    assertEquals(3, f.size());
  }
}
