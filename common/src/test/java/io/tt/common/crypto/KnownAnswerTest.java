package io.tt.common.crypto;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check a native AES-GCM must pass before it serves: it tells a working cipher from a broken one. */
class KnownAnswerTest {

  @Test
  void theJdksOwnCipherPasses() {
    assertTrue(KnownAnswer.matchesJdk((key, aad) -> new JdkAead(AeadMethod.AES_256_GCM, key, aad)));
  }

  @Test
  void anotherKeyOtherAssociatedDataOrAFailingCipherIsRefused() {
    assertFalse(KnownAnswer.matchesJdk((key, aad) -> new JdkAead(AeadMethod.AES_256_GCM, new byte[32], aad)),
        "another key");
    assertFalse(KnownAnswer.matchesJdk((key, aad) -> new JdkAead(AeadMethod.AES_256_GCM, key, new byte[] {1})),
        "other associated data");
    assertFalse(KnownAnswer.matchesJdk((key, aad) -> new JdkAead(AeadMethod.CHACHA20_POLY1305, key, aad)),
        "another cipher");
    assertFalse(KnownAnswer.matchesJdk((key, aad) -> {
      throw new IllegalStateException("refuses caller-chosen nonces");
    }), "a cipher that throws");
  }

  @Test
  void theInstalledLibgcryptPasses() {
    // available() is the check's verdict; where the library loaded, it must have passed on this machine.
    assertEquals(Gcrypt.AVAILABLE, GcryptAead.available(), "libgcrypt loaded, so it must pass");
  }
}
