package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {

  private static final byte[] KEY = new byte[32];
  private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

  static {
    new Random(1).nextBytes(KEY);
  }

  private static FrameEncoder encoder(AeadMethod m, Padding p, int chunk, int port) {
    return new FrameEncoder(Aeads.create(m, KEY, SessionKeys.portAad(port)), p, chunk);
  }

  private static FrameDecoder decoder(AeadMethod m, int port) {
    return new FrameDecoder(Aeads.create(m, KEY, SessionKeys.portAad(port)), ALLOC);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Decodes everything in {@code wire}, fed in pieces of {@code piece} bytes. */
  private static byte[] decodeAll(FrameDecoder dec, byte[] wire, int piece) {
    ByteBuf plain = Unpooled.buffer();
    for (int off = 0; off < wire.length; off += piece) {
      ByteBuf in = ALLOC.directBuffer();
      in.writeBytes(wire, off, Math.min(piece, wire.length - off));
      FrameDecoder.Result r;
      do {
        r = dec.decodeOne(in, plain);
        assertTrue(r != FrameDecoder.Result.BAD, "authentic frames must open");
      } while (r == FrameDecoder.Result.FRAME && in.isReadable());
      assertEquals(0, in.readableBytes(), "the decoder consumes all input");
      in.release();
    }
    byte[] out = new byte[plain.readableBytes()];
    plain.readBytes(out);
    return out;
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void roundTripInAllPaddingPoliciesAndChunkSizes(AeadMethod m) {
    byte[] data = random(200_000, 2);
    for (Padding p : Padding.values()) {
      for (int chunk : new int[] {1, 100, 16384, 65535}) {
        FrameEncoder enc = encoder(m, p, chunk, 1234);
        ByteBuf wire = Unpooled.buffer();
        int len = chunk == 1 ? 3000 : data.length;
        enc.encode(Unpooled.wrappedBuffer(data, 0, len), wire);
        byte[] w = new byte[wire.readableBytes()];
        wire.readBytes(w);
        byte[] expected = java.util.Arrays.copyOf(data, len);
        assertArrayEquals(expected, decodeAll(decoder(m, 1234), w, w.length), p + " chunk " + chunk);
        assertArrayEquals(expected, decodeAll(decoder(m, 1234), w, 4093), p + " chunk " + chunk + " in pieces");
      }
    }
  }

  /** A frame cut at every byte boundary decodes the same, and nothing is delivered before it is whole. */
  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void cutAtEveryByte(AeadMethod m) {
    byte[] payload = random(300, 3);
    FrameEncoder enc = encoder(m, Padding.OFF, 65535, 80);
    ByteBuf wire = Unpooled.buffer();
    enc.encodeFrame(Unpooled.wrappedBuffer(payload), 0, payload.length, 17, wire);
    byte[] w = new byte[wire.readableBytes()];
    wire.readBytes(w);
    assertEquals(Frames.FRAME_OVERHEAD + 300 + 17, w.length);
    for (int cut = 1; cut < w.length; cut++) {
      FrameDecoder dec = decoder(m, 80);
      ByteBuf plain = Unpooled.buffer();
      ByteBuf first = Unpooled.wrappedBuffer(w, 0, cut);
      assertEquals(FrameDecoder.Result.NEED_MORE, dec.decodeOne(first, plain), "cut " + cut);
      assertEquals(0, plain.readableBytes(), "no partial plaintext at cut " + cut);
      assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(Unpooled.wrappedBuffer(w, cut, w.length - cut), plain));
      byte[] got = new byte[plain.readableBytes()];
      plain.readBytes(got);
      assertArrayEquals(payload, got, "cut " + cut);
      dec.release();
    }
  }

  /** Flipping any single bit of a frame makes it fail, as does another port or a reordered frame. */
  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void tamperingIsDetected(AeadMethod m) {
    FrameEncoder enc = encoder(m, Padding.OFF, 65535, 443);
    ByteBuf wire = Unpooled.buffer();
    byte[] payload = random(40, 4);
    enc.encodeFrame(Unpooled.wrappedBuffer(payload), 0, 40, 3, wire);
    byte[] w = new byte[wire.readableBytes()];
    wire.readBytes(w);
    for (int i = 0; i < w.length; i++) {
      byte[] bad = w.clone();
      bad[i] ^= 0x01;
      FrameDecoder dec = decoder(m, 443);
      assertEquals(FrameDecoder.Result.BAD, dec.decodeOne(Unpooled.wrappedBuffer(bad), Unpooled.buffer()), "bit flip at " + i);
      assertEquals(FrameDecoder.Result.BAD, dec.decodeOne(Unpooled.wrappedBuffer(w), Unpooled.buffer()),
          "a failed decoder stays failed");
    }
    assertEquals(FrameDecoder.Result.BAD, decoder(m, 444).decodeOne(Unpooled.wrappedBuffer(w), Unpooled.buffer()),
        "a frame recorded on another port does not open");

    // Two frames swapped: the first one read has the wrong counter.
    ByteBuf two = Unpooled.buffer();
    enc.encodeFrame(Unpooled.wrappedBuffer(payload), 0, 40, 0, two);
    FrameDecoder fresh = decoder(m, 443);
    assertEquals(FrameDecoder.Result.BAD, fresh.decodeOne(two, Unpooled.buffer()), "out-of-order frame");
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void truncatedStreamNeverDeliversAPartialFrame(AeadMethod m) {
    FrameEncoder enc = encoder(m, Padding.FULL, 1000, 9);
    ByteBuf wire = Unpooled.buffer();
    enc.encode(Unpooled.wrappedBuffer(random(5000, 5)), wire);
    ByteBuf truncated = wire.slice(0, wire.readableBytes() - 1);
    FrameDecoder dec = decoder(m, 9);
    ByteBuf plain = Unpooled.buffer();
    FrameDecoder.Result r;
    int frames = 0;
    while ((r = dec.decodeOne(truncated, plain)) == FrameDecoder.Result.FRAME) {
      frames++;
    }
    assertEquals(FrameDecoder.Result.NEED_MORE, r);
    assertEquals(4, frames);
    assertEquals(4000, plain.readableBytes());
    dec.release();
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void paddingOnlyFramesAreDiscarded(AeadMethod m) {
    FrameEncoder enc = encoder(m, Padding.OFF, 65535, 9);
    ByteBuf wire = Unpooled.buffer();
    enc.encodePaddingOnly(200, wire);
    enc.encode(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), wire);
    enc.encodePaddingOnly(0, wire);
    FrameDecoder dec = decoder(m, 9);
    ByteBuf plain = Unpooled.buffer();
    int frames = 0;
    while (wire.isReadable()) {
      assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, plain));
      frames++;
    }
    assertEquals(3, frames);
    assertEquals(3, plain.readableBytes());
  }

  /** A burst's first 256 KiB go in frames of at most 16 KiB, the rest in the largest; a pause starts a new burst. */
  @org.junit.jupiter.api.Test
  void framesGrowAfterABurstsStart() throws Exception {
    FrameEncoder enc = encoder(AeadMethod.AES_256_GCM, Padding.OFF, 65535, 1);
    int read = 65_000;
    int early = sealedLength(enc, 1); // the padded first frame
    assertTrue(early > 0);
    for (int i = 0; i < 5; i++) { // each begins within the burst's first 256 KiB (the fifth at 260,001 bytes)
      assertEquals(read + 4 * Frames.FRAME_OVERHEAD, sealedLength(enc, read), "read " + i + " in 16 KiB frames");
    }
    assertEquals(read + Frames.FRAME_OVERHEAD, sealedLength(enc, read), "then one frame per read");
    Thread.sleep(1_100);
    assertEquals(read + 4 * Frames.FRAME_OVERHEAD, sealedLength(enc, read), "a new burst after a pause");
    FrameEncoder small = encoder(AeadMethod.AES_256_GCM, Padding.OFF, 4096, 1);
    sealedLength(small, 1);
    assertEquals(read + 16 * Frames.FRAME_OVERHEAD, sealedLength(small, read), "a smaller frame size is kept");
  }

  private static int sealedLength(FrameEncoder enc, int payload) {
    ByteBuf out = ALLOC.buffer();
    enc.encode(Unpooled.wrappedBuffer(new byte[payload]), out);
    int n = out.readableBytes();
    out.release();
    return n;
  }
}
