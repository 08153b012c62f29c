package io.tt.common.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Padding;
import io.tt.common.wire.SessionKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads of a plain socket sized so that their sealed frames leave as one loopback segment. */
class SegmentSizedReadsTest {

  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

  /** A read of the largest size seals to at most one segment; without padding, one byte more would not fit. */
  @ParameterizedTest
  @CsvSource({"16384,true,OFF", "16384,false,OFF", "1024,true,OFF", "65535,true,OFF", "65535,false,OFF",
      "4000,false,OFF", "16384,true,AUTO", "16384,false,AUTO", "1024,true,AUTO", "4000,false,AUTO",
      "16384,true,FULL", "65535,false,FULL"})
  void theLargestReadSealsIntoOneSegment(int frameSize, boolean mux, Padding padding) {
    FrameEncoder enc = new FrameEncoder(Aeads.create(AeadMethod.AES_256_GCM, new byte[32], SessionKeys.portAad(1)),
        padding, frameSize);
    if (mux) {
      enc.startMux();
    }
    sealed(enc, 1); // the first frame of a connection is padded; what follows is padded as the policy says
    int largest = enc.largestPayloadWithin(SegmentSizedReads.LOOPBACK_SEGMENT);
    for (int i = 0; i < 20; i++) { // padding lengths are random
      assertTrue(sealed(enc, largest) <= SegmentSizedReads.LOOPBACK_SEGMENT, "read of " + largest);
    }
    if (padding == Padding.OFF && frameSize <= FrameEncoder.START_CHUNK) { // larger frames come later in a burst
      assertTrue(sealed(enc, largest + 1) > SegmentSizedReads.LOOPBACK_SEGMENT, "read of " + (largest + 1));
    }
    if (frameSize == 16384 && padding != Padding.FULL) {
      assertTrue(largest > 64 * 1024 - 512, "default frames still read nearly 64 KiB: " + largest);
    }
  }

  private static int sealed(FrameEncoder enc, int payload) {
    ByteBuf in = Unpooled.wrappedBuffer(new byte[payload]);
    ByteBuf out = ALLOC.buffer();
    if (enc.isMux()) {
      enc.encodeMuxData(1, in, out);
    } else {
      enc.encode(in, out);
    }
    int n = out.readableBytes();
    out.release();
    return n;
  }

  /** Full reads grow the buffers as Netty's adaptive sizing does, up to the cap and not beyond. */
  @Test
  void buffersGrowWithFullReadsUpToTheCap() {
    EmbeddedChannel ch = new EmbeddedChannel();
    new SegmentSizedReads(65_240).applyTo(ch);
    RecvByteBufAllocator.Handle h = ch.config().getRecvByteBufAllocator().newHandle();
    h.reset(ch.config());
    ByteBuf first = h.allocate(ALLOC);
    assertEquals(2048, first.writableBytes(), "starts small, as Netty's default");
    first.release();
    int largest = 0;
    for (int i = 0; i < 40; i++) {
      h.reset(ch.config());
      ByteBuf b = h.allocate(ALLOC);
      int size = b.writableBytes();
      b.release();
      largest = Math.max(largest, size);
      assertTrue(size <= 65_240, "buffer of " + size);
      h.attemptedBytesRead(size);
      h.lastBytesRead(size); // the read filled it
      h.readComplete();
    }
    assertEquals(65_240, largest, "a busy connection reads as much as fits one segment");
    ch.finishAndReleaseAll();
  }

  /** A connection of small messages keeps small buffers. */
  @Test
  void smallReadsKeepSmallBuffers() {
    EmbeddedChannel ch = new EmbeddedChannel();
    new SegmentSizedReads(65_240).applyTo(ch);
    RecvByteBufAllocator.Handle h = ch.config().getRecvByteBufAllocator().newHandle();
    for (int i = 0; i < 40; i++) {
      h.reset(ch.config());
      ByteBuf b = h.allocate(ALLOC);
      h.attemptedBytesRead(b.writableBytes());
      h.lastBytesRead(100);
      b.release();
      h.readComplete();
    }
    h.reset(ch.config());
    ByteBuf b = h.allocate(ALLOC);
    assertTrue(b.writableBytes() <= 256, "buffer of " + b.writableBytes());
    b.release();
    ch.finishAndReleaseAll();
  }
}
