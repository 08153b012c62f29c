package io.tt.common.crypto;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * HKDF-SHA256 (RFC 5869). Runs for every new connection (one or two session keys per side), so the Mac is kept per
 * thread: Mac.getInstance costs a provider lookup of a few microseconds each time.
 */
public final class Hkdf {

  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  });

  private Hkdf() {
  }

  public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
    if (length > 255 * 32) {
      throw new IllegalArgumentException("HKDF output too long");
    }
    try {
      Mac mac = MAC.get();
      byte[] saltOrZeros = (salt == null || salt.length == 0) ? new byte[32] : salt;
      mac.init(new SecretKeySpec(saltOrZeros, "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      byte[] out = new byte[length];
      byte[] t = new byte[0];
      int pos = 0;
      for (int i = 1; pos < length; i++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) i);
        t = mac.doFinal();
        int n = Math.min(t.length, length - pos);
        System.arraycopy(t, 0, out, pos, n);
        pos += n;
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
