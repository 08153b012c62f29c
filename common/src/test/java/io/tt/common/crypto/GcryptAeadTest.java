package io.tt.common.crypto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * libgcrypt's AES-256-GCM gives the JDK's bytes for every size, padding and buffer kind, refuses what the JDK
 * refuses, and keeps each instance's key although every instance on a thread shares the thread's two cipher handles.
 * The build runs this on JDK 17 (JNA calls); {@link ForeignDowncallsTest} runs it again on the newest JDK
 * (downcalls).
 */
class GcryptAeadTest {

  private static final int[] SIZES = {0, 1, 3, 15, 16, 17, 1000, 2049, 16384, 65535};
  private static final int[] PADS = {0, 1, 7, 255};
  private static final byte[] AAD = {0x20, (byte) 0xfb};

  @BeforeEach
  void needsLibgcrypt() {
    assumeTrue(Aeads.gcryptAvailable(), "libgcrypt not found (apt-get install libgcrypt20)");
  }

  private static Aead gcrypt(byte[] key, byte[] aad) {
    return Aeads.create("gcrypt", AeadMethod.AES_256_GCM, key, aad);
  }

  private static Aead jdk(byte[] key, byte[] aad) {
    return Aeads.create("jdk", AeadMethod.AES_256_GCM, key, aad);
  }

  private static ByteBuf direct(byte[] b) {
    return PooledByteBufAllocator.DEFAULT.directBuffer(b.length + 8).writeBytes(b);
  }

  private static byte[] bytes(ByteBuf b) {
    return ByteBufUtil.getBytes(b);
  }

  @Test
  void sealsTheJdksBytesFromAndIntoEveryBufferKind() {
    Random rnd = new Random(3);
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    Aead reference = jdk(key, AAD);
    Aead aead = gcrypt(key, AAD);
    long counter = 1L << 40; // a counter with high bytes set: the nonce is little-endian
    for (int size : SIZES) {
      for (int pad : PADS) {
        byte[] plain = new byte[size];
        rnd.nextBytes(plain);
        ByteBuf expectedBuf = Unpooled.buffer();
        reference.seal(counter, Unpooled.wrappedBuffer(plain), 0, size, pad, expectedBuf);
        byte[] expected = bytes(expectedBuf);
        String what = size + "+" + pad;
        for (boolean directIn : new boolean[] {true, false}) {
          for (boolean directOut : new boolean[] {true, false}) {
            ByteBuf src = directIn ? direct(plain) : Unpooled.wrappedBuffer(plain);
            ByteBuf out = directOut ? PooledByteBufAllocator.DEFAULT.directBuffer(4) : Unpooled.buffer(4);
            out.writeByte(0x55); // sealing appends at the writer index
            aead.seal(counter, src, 0, size, pad, out);
            assertArrayEquals(expected, bytes(out.skipBytes(1)), what + " in " + directIn + " out " + directOut);
            src.release();
            out.release();
          }
        }
        counter++;
      }
    }
  }

  @Test
  void opensWhatTheJdkSealedAndRefusesAnyChange() {
    Random rnd = new Random(5);
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    Aead reference = jdk(key, AAD);
    Aead aead = gcrypt(key, AAD);
    long counter = 9;
    for (int size : SIZES) {
      byte[] plain = new byte[size];
      rnd.nextBytes(plain);
      ByteBuf sealedBuf = Unpooled.buffer();
      reference.seal(counter, Unpooled.wrappedBuffer(plain), 0, size, 3, sealedBuf);
      byte[] sealed = bytes(sealedBuf);
      byte[] padded = Arrays.copyOf(plain, size + 3);
      for (boolean directIn : new boolean[] {true, false}) {
        for (boolean directOut : new boolean[] {true, false}) {
          String what = size + " in " + directIn + " out " + directOut;
          ByteBuf in = directIn ? direct(sealed) : Unpooled.wrappedBuffer(sealed.clone());
          ByteBuf out = directOut ? PooledByteBufAllocator.DEFAULT.directBuffer(4) : Unpooled.buffer(4);
          assertTrue(aead.open(counter, in, 0, sealed.length, out), what);
          assertArrayEquals(padded, bytes(out), what);
          out.clear();
          assertFalse(aead.open(counter + 1, in, 0, sealed.length, out), "the wrong counter: " + what);
          assertEquals(0, out.writerIndex());
          int flip = rnd.nextInt(sealed.length);
          in.setByte(flip, sealed[flip] ^ 0x20);
          assertFalse(aead.open(counter, in, 0, sealed.length, out), "a flipped bit at " + flip + ": " + what);
          assertEquals(0, out.writerIndex(), "nothing appended");
          if (directOut && size > 0) {
            byte[] behind = new byte[size];
            out.getBytes(0, behind);
            assertArrayEquals(new byte[size], behind, "no unauthenticated plaintext left behind: " + what);
          }
          in.setByte(flip, sealed[flip]);
          assertTrue(aead.open(counter, in, 0, sealed.length, out), "the same frame again: " + what);
          assertFalse(aead.open(counter, in, 0, 15, Unpooled.buffer()), "shorter than a tag");
          in.release();
          out.release();
        }
      }
      assertFalse(gcrypt(key, new byte[] {0x20, (byte) 0xfc}).open(counter, Unpooled.wrappedBuffer(sealed), 0,
          sealed.length, Unpooled.buffer()), "other associated data (another server port)");
      counter++;
    }
  }

  /** Tunnels interleaved on one event loop: each context is re-keyed when another instance used it last. */
  @Test
  void interleavedInstancesOnOneThreadKeepTheirOwnKeys() {
    Random rnd = new Random(8);
    byte[][] keys = new byte[3][32];
    byte[][] aads = {{1, 2}, {1, 2}, {0x7f, 0}};
    Aead[] aeads = new Aead[3];
    Aead[] references = new Aead[3];
    for (int i = 0; i < 3; i++) {
      rnd.nextBytes(keys[i]);
      aeads[i] = gcrypt(keys[i], aads[i]);
      references[i] = jdk(keys[i], aads[i]);
    }
    for (int round = 0; round < 40; round++) {
      int i = rnd.nextInt(3);
      int other = (i + 1 + rnd.nextInt(2)) % 3;
      byte[] plain = new byte[rnd.nextInt(20_000)];
      rnd.nextBytes(plain);
      ByteBuf expected = Unpooled.buffer();
      references[i].seal(round, Unpooled.wrappedBuffer(plain), 0, plain.length, expected);
      ByteBuf src = direct(plain);
      ByteBuf sealed = PooledByteBufAllocator.DEFAULT.directBuffer(plain.length + 16);
      aeads[i].seal(round, src, 0, plain.length, sealed);
      assertArrayEquals(bytes(expected), bytes(sealed), "round " + round);
      ByteBuf opened = PooledByteBufAllocator.DEFAULT.directBuffer(plain.length + 1);
      assertFalse(aeads[other].open(round, sealed, 0, sealed.readableBytes(), opened), "another key opens nothing");
      assertTrue(aeads[i].open(round, sealed, 0, sealed.readableBytes(), opened), "its own key opens it");
      assertArrayEquals(plain, bytes(opened));
      src.release();
      sealed.release();
      opened.release();
    }
  }

  /** Heap units larger than the thread's native stage go through the JDK with the same key: the same bytes. */
  @Test
  void heapUnitsLargerThanAnyFrameStillSealAndOpen() {
    byte[] key = new byte[32];
    new Random(1).nextBytes(key);
    byte[] plain = new byte[200_000];
    new Random(2).nextBytes(plain);
    ByteBuf expected = Unpooled.buffer();
    jdk(key, AAD).seal(4, Unpooled.wrappedBuffer(plain), 0, plain.length, expected);
    ByteBuf sealed = Unpooled.buffer();
    gcrypt(key, AAD).seal(4, Unpooled.wrappedBuffer(plain), 0, plain.length, sealed);
    assertArrayEquals(bytes(expected), bytes(sealed));
    ByteBuf opened = Unpooled.buffer();
    assertTrue(gcrypt(key, AAD).open(4, sealed, 0, sealed.readableBytes(), opened));
    assertArrayEquals(plain, bytes(opened));
  }

  /**
   * Event-loop threads come and go (a Vert.x instance closed): each new thread opens its own handles and seals right,
   * and the ends of the others (which close theirs) do not disturb the thread that carries on.
   */
  @Test
  void threadsThatComeAndGoSealRightAndOthersCarryOn() throws Exception {
    byte[] key = new byte[32];
    Aead aead = gcrypt(key, AAD);
    byte[] plain = new byte[5000];
    ByteBuf expected = Unpooled.buffer();
    jdk(key, AAD).seal(1, Unpooled.wrappedBuffer(plain), 0, plain.length, expected);
    DefaultThreadFactory threads = new DefaultThreadFactory("gcrypt-test"); // FastThreadLocalThreads
    for (int t = 0; t < 20; t++) {
      CompletableFuture<byte[]> result = new CompletableFuture<>();
      Thread thread = threads.newThread(() -> {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(plain.length + 16);
        aead.seal(1, Unpooled.wrappedBuffer(plain), 0, plain.length, out);
        result.complete(bytes(out));
        out.release();
      });
      thread.start();
      assertArrayEquals(bytes(expected), result.get(10, TimeUnit.SECONDS), "thread " + t);
      thread.join(10_000);
    }
    ByteBuf here = Unpooled.buffer();
    aead.seal(1, Unpooled.wrappedBuffer(plain), 0, plain.length, here);
    assertArrayEquals(bytes(expected), bytes(here));
  }
}
