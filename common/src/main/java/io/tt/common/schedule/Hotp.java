package io.tt.common.schedule;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/** HOTP, RFC 4226: HMAC-SHA-1 over the 8-byte big-endian counter, then dynamic truncation. */
public final class Hotp {

  private final SecretKeySpec key;

  public Hotp(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA1");
  }

  /** The 31-bit dynamically truncated value (RFC 4226 section 5.3, "Sbits"). */
  public int truncated(long counter) {
    byte[] msg = new byte[8];
    for (int i = 7; i >= 0; i--) {
      msg[i] = (byte) counter;
      counter >>>= 8;
    }
    byte[] h;
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(key);
      h = mac.doFinal(msg);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
    int offset = h[19] & 0x0f;
    return ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
  }

  /** The decimal HOTP value of {@code digits} digits (RFC 4226 test vectors use 6). */
  public int value(long counter, int digits) {
    int mod = 1;
    for (int i = 0; i < digits; i++) {
      mod *= 10;
    }
    return truncated(counter) % mod;
  }
}
