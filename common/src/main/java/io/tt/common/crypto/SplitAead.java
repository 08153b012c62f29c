package io.tt.common.crypto;

import io.netty.buffer.ByteBuf;

/**
 * AES-256-GCM split by size: small units (every frame's 3-byte header, small frames) through libsodium, whose
 * per-call setup is a key expansion, and large ones through the JDK, whose VAES intrinsic is 2-3x faster per byte
 * but whose every {@code Cipher.init} costs about a microsecond and a kilobyte of garbage. Both give the same
 * bytes; the counter nonces make every unit independent, so which one seals or opens a unit does not matter.
 */
final class SplitAead extends Aead {

  /** Units up to this many bytes go to libsodium (JMH: below ~4 KiB its setup wins over the JDK's init). */
  static final int SMALL = 2048;

  private final Aead small;
  private final Aead large;

  SplitAead(Aead small, Aead large) {
    this.small = small;
    this.large = large;
  }

  @Override
  public boolean prefersArrays(int length) {
    return (length <= SMALL ? small : large).prefersArrays(length);
  }

  @Override
  public void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst) {
    (len + zeroPad <= SMALL ? small : large).seal(counter, src, srcIndex, len, zeroPad, dst);
  }

  @Override
  public boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    return (len <= SMALL + TAG ? small : large).open(counter, src, srcIndex, len, dst);
  }
}
