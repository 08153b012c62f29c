package io.tt.common.crypto;

import io.netty.buffer.ByteBuf;

/**
 * One direction of one session: an AEAD key with fixed associated data and little-endian counter nonces.
 *
 * <p>Instances are created once per connection direction and reused for every frame; they are not
 * thread-safe (a connection lives on one event loop).
 */
public abstract class Aead {

  public static final int TAG = AeadMethod.TAG_LENGTH;

  /**
   * Seals {@code len} bytes of {@code src} starting at {@code srcIndex}, appending ciphertext and tag
   * ({@code len + 16} bytes) at {@code dst}'s writer index, which it advances. {@code dst} must have room.
   */
  public final void seal(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    seal(counter, src, srcIndex, len, 0, dst);
  }

  /**
   * Like {@link #seal(long, ByteBuf, int, int, ByteBuf)} but the plaintext is followed by {@code zeroPad} zero
   * bytes (frame padding), so the payload need not be copied next to its padding first. Appends
   * {@code len + zeroPad + 16} bytes.
   */
  public abstract void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst);

  /**
   * Opens {@code len} bytes (ciphertext plus tag) of {@code src} at {@code srcIndex}, appending the
   * {@code len - 16} plaintext bytes at {@code dst}'s writer index.
   *
   * @return false if authentication fails; {@code dst}'s writer index is then unchanged
   */
  public abstract boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst);

  /**
   * Whether seals and opens of units of about {@code length} bytes are cheapest with heap buffers: the JDK's
   * ciphers work on arrays (a direct buffer costs them a copy), libsodium on native memory (a heap buffer costs it
   * one).
   */
  public boolean prefersArrays(int length) {
    return false;
  }

  /** Writes the 12-byte nonce for a counter: the counter little-endian, zero-padded. */
  public static void nonce(long counter, byte[] nonce12) {
    for (int i = 0; i < 8; i++) {
      nonce12[i] = (byte) (counter >>> (8 * i));
    }
    nonce12[8] = 0;
    nonce12[9] = 0;
    nonce12[10] = 0;
    nonce12[11] = 0;
  }
}
