package io.tt.common.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * A native AES-256-GCM is used only once it has sealed a known frame to the JDK's bytes, opened it, and refused it
 * altered. A library can be present and still refuse: a build or mode that does not let the caller choose GCM
 * nonces (as FIPS modes may) would otherwise fail every frame of every connection.
 */
final class KnownAnswer {

  private KnownAnswer() {
  }

  /** Whether the implementation {@code factory} makes from a key and associated data behaves like the JDK's. */
  static boolean matchesJdk(BiFunction<byte[], byte[], Aead> factory) {
    byte[] key = new byte[AeadMethod.KEY_LENGTH];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 7 + 1);
    }
    byte[] aad = {0x20, (byte) 0xfb};
    byte[] plain = new byte[40]; // two blocks and a half, then padding
    Arrays.fill(plain, (byte) 0x5a);
    ByteBuf expected = Unpooled.buffer();
    ByteBuf src = Unpooled.directBuffer(plain.length).writeBytes(plain);
    ByteBuf sealed = Unpooled.directBuffer(plain.length + 3 + Aead.TAG);
    ByteBuf opened = Unpooled.directBuffer(plain.length + 3);
    try {
      Aead jdk = new JdkAead(AeadMethod.AES_256_GCM, key, aad);
      jdk.seal(7, Unpooled.wrappedBuffer(plain), 0, plain.length, 3, expected);
      Aead candidate = factory.apply(key, aad);
      candidate.seal(7, src, 0, plain.length, 3, sealed);
      if (!ByteBufUtil.equals(expected, sealed)) {
        return false;
      }
      if (!candidate.open(7, sealed, 0, sealed.readableBytes(), opened)
          || !ByteBufUtil.equals(Unpooled.wrappedBuffer(Arrays.copyOf(plain, plain.length + 3)), opened)) {
        return false;
      }
      opened.clear();
      sealed.setByte(5, sealed.getByte(5) ^ 1);
      return !candidate.open(7, sealed, 0, sealed.readableBytes(), opened);
    } catch (RuntimeException | LinkageError e) {
      return false;
    } finally {
      src.release();
      sealed.release();
      opened.release();
    }
  }
}
