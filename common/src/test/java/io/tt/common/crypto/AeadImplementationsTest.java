package io.tt.common.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libsodium and the JDK give the same bytes for every size, padding and buffer kind (direct buffers take each
 * implementation's fast path: libsodium in place, the JDK staged through per-thread arrays; heap buffers the
 * JDK's array API), and libsodium's ChaCha20-Poly1305 matches RFC 8439 section 2.8.2.
 */
class AeadImplementationsTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final int[] SIZES = {0, 1, 3, 15, 16, 17, 1000, 1023, 16384, 65535};
  private static final int[] PADS = {0, 1, 7, 255};

  private static ByteBuf direct(byte[] b, int extra) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(b.length + extra);
    buf.writeBytes(b);
    return buf;
  }

  private static byte[] bytes(ByteBuf b) {
    return ByteBufUtil.getBytes(b);
  }

  private static Aead impl(String which, AeadMethod m, byte[] key, byte[] aad) {
    return Aeads.create(which, m, key, aad);
  }

  /**
   * Instances on one thread share libsodium's native stage, each writing its own key and associated data into it
   * when it was not the last to use it: tunnels interleaved on one event loop must each keep their own.
   */
  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void interleavedInstancesOnOneThreadKeepTheirOwnKeys(AeadMethod m) {
    Assumptions.assumeTrue(Aeads.sodiumAvailable(m), "libsodium is not installed");
    Random rnd = new Random(7);
    byte[][] keys = new byte[3][32];
    byte[][] aads = {{0x01, 0x02}, {0x01, 0x02}, {0x7f, 0x00}};
    Aead[] sodium = new Aead[3];
    Aead[] jdk = new Aead[3];
    for (int i = 0; i < 3; i++) {
      rnd.nextBytes(keys[i]);
      sodium[i] = impl("sodium", m, keys[i], aads[i]);
      jdk[i] = impl("jdk", m, keys[i], aads[i]);
    }
    byte[] plain = new byte[100];
    rnd.nextBytes(plain);
    int[] order = {0, 1, 0, 0, 2, 1, 2, 0};
    for (int step = 0; step < order.length; step++) {
      int i = order[step];
      long counter = 10 + step;
      ByteBuf expected = Unpooled.buffer();
      jdk[i].seal(counter, Unpooled.wrappedBuffer(plain), 0, plain.length, 0, expected);
      ByteBuf src = direct(plain, 0);
      ByteBuf sealed = PooledByteBufAllocator.DEFAULT.directBuffer(128);
      sodium[i].seal(counter, src, 0, plain.length, 0, sealed);
      assertArrayEquals(bytes(expected), bytes(sealed), "instance " + i + " at step " + step);
      ByteBuf opened = PooledByteBufAllocator.DEFAULT.directBuffer(128);
      int other = (i + 1) % 3;
      assertFalse(sodium[other].open(counter, sealed, 0, sealed.readableBytes(), opened), "another key opens nothing");
      assertTrue(sodium[i].open(counter, sealed, 0, sealed.readableBytes(), opened), "its own key opens it");
      assertArrayEquals(plain, bytes(opened));
      src.release();
      sealed.release();
      opened.release();
    }
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void sameBytesFromEveryImplementationAndBufferKind(AeadMethod m) {
    Random rnd = new Random(42);
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    byte[] aad = {0x20, (byte) 0xfb};
    boolean sodium = Aeads.sodiumAvailable(m);
    Aead jdk = impl("jdk", m, key, aad);
    Aead jdkDirect = impl("jdk", m, key, aad);
    Aead so = sodium ? impl("sodium", m, key, aad) : null;
    Aead auto = impl("auto", m, key, aad);
    long counter = 5;
    for (int size : SIZES) {
      for (int pad : PADS) {
        byte[] plain = new byte[size];
        rnd.nextBytes(plain);
        ByteBuf heapOut = Unpooled.buffer();
        jdk.seal(counter, Unpooled.wrappedBuffer(plain), 0, size, pad, heapOut);
        byte[] expected = bytes(heapOut);
        assertEquals(size + pad + 16, expected.length);

        ByteBuf src = direct(plain, 0);
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        out.writeByte(0x55); // sealing appends at the writer index
        jdkDirect.seal(counter, src, 0, size, pad, out);
        assertArrayEquals(expected, bytes(out.skipBytes(1)), "jdk staged " + m + " " + size + "+" + pad);
        out.release();
        // A direct input into a heap output (a frame sealed to be sent from its array, HeapSend).
        ByteBuf toArray = Unpooled.buffer(4).writeByte(0x55);
        jdkDirect.seal(counter, src, 0, size, pad, toArray);
        assertArrayEquals(expected, bytes(toArray.skipBytes(1)), "jdk direct to heap " + m + " " + size + "+" + pad);
        if (so != null) {
          out = PooledByteBufAllocator.DEFAULT.directBuffer(8);
          out.writeByte(0x55);
          so.seal(counter, src, 0, size, pad, out);
          assertArrayEquals(expected, bytes(out.skipBytes(1)), "libsodium " + m + " " + size + "+" + pad);
          out.release();
          // Heap on either side goes through libsodium's per-thread native stage: the same bytes.
          ByteBuf heapSealed = Unpooled.buffer(4).writeByte(0x55);
          so.seal(counter, Unpooled.wrappedBuffer(plain), 0, size, pad, heapSealed);
          assertArrayEquals(expected, bytes(heapSealed.skipBytes(1)), "libsodium heap " + m + " " + size + "+" + pad);
          out = PooledByteBufAllocator.DEFAULT.directBuffer(8);
          so.seal(counter, Unpooled.wrappedBuffer(plain), 0, size, pad, out);
          assertArrayEquals(expected, bytes(out), "libsodium heap to direct " + m + " " + size + "+" + pad);
          out.release();
          ByteBuf directSealed = direct(expected, 0);
          ByteBuf toHeap = Unpooled.buffer();
          assertTrue(so.open(counter, directSealed, 0, expected.length, toHeap), "libsodium direct to heap");
          assertArrayEquals(plain, java.util.Arrays.copyOf(bytes(toHeap), size));
          ByteBuf toDirect = PooledByteBufAllocator.DEFAULT.directBuffer(8);
          assertTrue(so.open(counter, Unpooled.wrappedBuffer(expected), 0, expected.length, toDirect),
              "libsodium heap to direct");
          assertArrayEquals(plain, java.util.Arrays.copyOf(bytes(toDirect), size));
          toDirect.release();
          byte[] tampered = expected.clone();
          tampered[rnd.nextInt(tampered.length)] ^= 0x01;
          ByteBuf none = Unpooled.buffer();
          assertFalse(so.open(counter, Unpooled.wrappedBuffer(tampered), 0, tampered.length, none), "tampered heap");
          assertEquals(0, none.writerIndex());
          directSealed.release();
        }
        out = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        auto.seal(counter, src, 0, size, pad, out);
        assertArrayEquals(expected, bytes(out), "default (" + Aeads.implementation(m) + ") " + size + "+" + pad);
        out.release();
        src.release();

        // Open with each implementation (a fresh instance per attempt: the JDK's ChaCha20 refuses to re-init with
        // the key and nonce of its previous init, even to decrypt).
        for (String which : sodium ? new String[] {"jdk", "sodium", "auto"} : new String[] {"jdk", "auto"}) {
          ByteBuf sealed = direct(expected, 0);
          ByteBuf opened = PooledByteBufAllocator.DEFAULT.directBuffer(8);
          assertTrue(impl(which, m, key, aad).open(counter, sealed, 0, expected.length, opened), which);
          byte[] got = bytes(opened);
          assertArrayEquals(plain, java.util.Arrays.copyOf(got, size));
          for (int i = size; i < got.length; i++) {
            assertEquals(0, got[i], "padding opens to zeros");
          }
          // One flipped bit anywhere fails, and nothing is appended.
          int flip = rnd.nextInt(expected.length);
          sealed.setByte(flip, expected[flip] ^ 0x40);
          opened.clear();
          assertFalse(impl(which, m, key, aad).open(counter, sealed, 0, expected.length, opened), which);
          assertEquals(0, opened.writerIndex());
          // The wrong counter fails too.
          sealed.setBytes(0, expected);
          assertFalse(impl(which, m, key, aad).open(counter + 1, sealed, 0, expected.length, opened), which);
          sealed.release();
          opened.release();
          // A direct input opened into a heap output (the plaintext then sent from its array), and tampered.
          ByteBuf directIn = direct(expected, 0);
          ByteBuf intoArray = Unpooled.buffer(2).writeByte(0x55);
          assertTrue(impl(which, m, key, aad).open(counter, directIn, 0, expected.length, intoArray), which);
          assertArrayEquals(plain, java.util.Arrays.copyOf(bytes(intoArray.skipBytes(1)), size), which);
          directIn.setByte(flip, expected[flip] ^ 0x40);
          ByteBuf refused = Unpooled.buffer(2);
          assertFalse(impl(which, m, key, aad).open(counter, directIn, 0, expected.length, refused), which);
          assertEquals(0, refused.writerIndex());
          directIn.release();
          // Heap buffers (the JDK's array API, or libsodium's fallback to it).
          ByteBuf heapOpened = Unpooled.buffer();
          assertTrue(impl(which, m, key, aad).open(counter, Unpooled.wrappedBuffer(expected), 0, expected.length,
              heapOpened), which);
          assertArrayEquals(plain, java.util.Arrays.copyOf(bytes(heapOpened), size));
        }
        counter += 2;
      }
    }
  }

  /**
   * The JDK's ChaCha20 refuses to re-init with the key and nonce of its previous init, even to decrypt; the JDK
   * implementation shares one Cipher per thread, so opening one frame twice in a row (a replayed salt tried right
   * after the original) must still just work.
   */
  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void theSameFrameOpensTwiceInARow(AeadMethod m) {
    byte[] key = new byte[32];
    new Random(7).nextBytes(key);
    byte[] aad = {1, 2};
    ByteBuf sealed = Unpooled.buffer();
    Aeads.create("jdk", m, key, aad).seal(0, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 0, 3, sealed);
    for (int i = 0; i < 3; i++) {
      for (boolean directBufs : new boolean[] {false, true}) {
        ByteBuf in = directBufs ? direct(bytes(sealed), 0) : Unpooled.wrappedBuffer(bytes(sealed));
        ByteBuf out = directBufs ? PooledByteBufAllocator.DEFAULT.directBuffer(8) : Unpooled.buffer();
        assertTrue(Aeads.create("jdk", m, key, aad).open(0, in, 0, in.readableBytes(), out));
        assertArrayEquals(new byte[] {1, 2, 3}, bytes(out));
        in.release();
        out.release();
      }
    }
  }

  /** RFC 8439 section 2.8.2, through the same libsodium entry point SodiumAead uses. */
  @Test
  void libsodiumChaCha20Poly1305MatchesRfc8439() {
    Assumptions.assumeTrue(Sodium.AVAILABLE, "libsodium not installed (apt-get install libsodium23)");
    byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
        + "sunscreen would be it.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    byte[] nonce = HEX.parseHex("070000004041424344454647");
    byte[] expected = HEX.parseHex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca96712"
        + "82fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b48"
        + "31d7bc3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691");
    ByteBuffer k = ByteBuffer.allocateDirect(32).put(key);
    ByteBuffer n = ByteBuffer.allocateDirect(12).put(nonce);
    ByteBuffer a = ByteBuffer.allocateDirect(aad.length).put(aad);
    ByteBuffer p = ByteBuffer.allocateDirect(plain.length).put(plain);
    ByteBuffer c = ByteBuffer.allocateDirect(plain.length + 16);
    int rc = Sodium.chacha20poly1305Seal(addr(c), addr(c) + plain.length, addr(p), plain.length, addr(a), aad.length,
        addr(n), addr(k));
    assertEquals(0, rc);
    byte[] got = new byte[plain.length + 16];
    c.get(0, got);
    assertArrayEquals(expected, got);
  }

  private static long addr(ByteBuffer b) {
    return com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(b));
  }
}
