package io.tt.common.crypto;

/** Creates the AEAD implementation for a method. */
public final class Aeads {

  private Aeads() {
  }

  /**
   * @param key 32-byte key
   * @param aad associated data bound to every frame of this direction (TT: the session's server port)
   */
  public static Aead create(AeadMethod method, byte[] key, byte[] aad) {
    if (key.length != AeadMethod.KEY_LENGTH) {
      throw new IllegalArgumentException("AEAD key must be 32 bytes");
    }
    return new JdkAead(method, key, aad);
  }
}
