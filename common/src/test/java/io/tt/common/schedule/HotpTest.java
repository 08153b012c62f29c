package io.tt.common.schedule;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HotpTest {

  /** RFC 4226 Appendix D. */
  @Test
  void rfc4226Vectors() {
    Hotp hotp = new Hotp("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    int[] expected = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], hotp.value(i, 6), "counter " + i);
    }
    // Appendix D also lists the truncated decimal values.
    assertEquals(1284755224, hotp.truncated(0));
    assertEquals(1094287082, hotp.truncated(1));
    assertEquals(520489, hotp.truncated(9) % 1_000_000);
  }
}
