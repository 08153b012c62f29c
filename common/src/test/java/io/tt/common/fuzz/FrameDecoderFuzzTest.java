package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.wire.Direction;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.Padding;
import io.tt.common.wire.SessionKeys;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The stream frame decoder on hostile input, with a real key. The fuzzer builds up to four genuine frames, edits
 * the stream (flip, cut, insert, append: with no genuine frame this is arbitrary bytes) and cuts it into pieces.
 *
 * <p>Invariants, checked against a model computed from where the edited stream first differs from the genuine one:
 * <ul>
 *   <li>no exception, whatever the bytes and however they are split;</li>
 *   <li>exactly the genuine frames that lie wholly before the first edited byte are delivered, in order and byte
 *       for byte; a frame that covers an edited byte is never delivered (no unauthenticated plaintext), and the
 *       stream then ends in BAD once the frame's bytes are all there, else waits (NEED_MORE);</li>
 *   <li>NEED_MORE only with the input piece used up; FRAME appends exactly the payload; BAD and NEED_MORE append
 *       nothing; after BAD every call is BAD;</li>
 *   <li>pending bytes never exceed the one frame part being gathered (header 19 B, body at most 65,806 B).</li>
 * </ul>
 */
class FrameDecoderFuzzTest {

  private record Genuine(byte[] payload, int start, int headerEnd, int end) {
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void decode(byte[] data) {
    Input p = new Input(data);
    AeadMethod method = p.consumeBoolean() ? AeadMethod.AES_256_GCM : AeadMethod.CHACHA20_POLY1305;
    byte[] salt = Fuzz.bytes(p, Frames.SALT_LENGTH);
    ByteBufAllocator alloc = p.consumeBoolean() ? Fuzz.HEAP : Fuzz.DIRECT;
    FrameEncoder encoder = new FrameEncoder(aead(method, salt), Padding.OFF, Frames.MAX_PAYLOAD);

    List<Genuine> frames = new ArrayList<>();
    ByteBuf wire = Unpooled.buffer();
    int n = p.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      int len = p.consumeInt(0, 15) == 0 ? p.consumeInt(0, Frames.MAX_PAYLOAD) : p.consumeInt(0, 300);
      byte[] payload = Fuzz.bytes(p, len);
      int pad = p.consumeInt(0, Frames.MAX_PADDING);
      int start = wire.writerIndex();
      encoder.encodeFrame(Unpooled.wrappedBuffer(payload), 0, len, pad, wire);
      frames.add(new Genuine(payload, start, start + Frames.HEADER_SEALED, wire.writerIndex()));
    }
    byte[] genuine = Fuzz.bytesOf(wire);
    byte[] stream = Fuzz.mutate(p, genuine, 3);
    List<byte[]> pieces = Fuzz.split(p, stream, 40);

    // The model: what an ideal decoder delivers.
    int diff = Fuzz.firstDifference(stream, genuine);
    int delivered = 0;
    while (delivered < frames.size() && frames.get(delivered).end() <= diff) {
      delivered++;
    }
    int at = delivered == 0 ? 0 : frames.get(delivered - 1).end();
    int rest = stream.length - at;
    boolean expectBad;
    if (delivered < frames.size() && frames.get(delivered).headerEnd() <= diff) {
      Genuine g = frames.get(delivered);
      expectBad = rest >= g.end() - g.start(); // header opens; the body covers an edited byte or is cut short
    } else {
      expectBad = rest >= Frames.HEADER_SEALED; // an edited header, or bytes after the last genuine frame
    }

    FrameDecoder decoder = new FrameDecoder(aead(method, salt), alloc);
    ByteBuf out = Unpooled.buffer();
    List<byte[]> got = new ArrayList<>();
    boolean bad = false;
    try {
      for (byte[] piece : pieces) {
        ByteBuf in = Fuzz.wrap(piece, alloc);
        try {
          while (true) {
            int before = out.writerIndex();
            FrameDecoder.Result r = decoder.decodeOne(in, out);
            int pending = decoder.pendingBytes();
            assertTrue(pending <= Frames.MAX_BODY_SEALED, "pending " + pending + " exceeds one sealed body");
            assertTrue(bad || decoder.needed() > 0, "needed() must be positive while the stream is alive");
            if (r == FrameDecoder.Result.BAD) {
              assertEquals(before, out.writerIndex(), "BAD appended bytes");
              bad = true;
              assertEquals(FrameDecoder.Result.BAD, decoder.decodeOne(in, out), "BAD is final");
              break;
            }
            assertTrue(!bad, "a result other than BAD after BAD");
            if (r == FrameDecoder.Result.NEED_MORE) {
              assertEquals(before, out.writerIndex(), "NEED_MORE appended bytes");
              assertEquals(0, in.readableBytes(), "NEED_MORE with input left");
              int need = pending + decoder.needed();
              assertTrue(need == Frames.HEADER_SEALED || need <= Frames.MAX_BODY_SEALED,
                  "gathering a unit of " + need + " bytes");
              break;
            }
            byte[] payload = new byte[out.writerIndex() - before];
            out.getBytes(before, payload);
            got.add(payload);
            assertEquals(payload.length, decoder.payloadLength(), "FRAME appended other than the payload");
            if (!in.isReadable()) {
              break;
            }
          }
          if (bad) {
            break;
          }
        } finally {
          in.release();
        }
      }
    } finally {
      decoder.release();
    }

    if (got.size() > delivered) {
      fail("delivered " + got.size() + " frames but only " + delivered + " authenticate (first edit at byte "
          + diff + " of " + stream.length + ")");
    }
    assertEquals(delivered, got.size(), "frames before the first edit must all be delivered");
    for (int i = 0; i < delivered; i++) {
      assertArrayEquals(frames.get(i).payload(), got.get(i), "frame " + i + " payload");
    }
    assertEquals(expectBad, bad, "end state (BAD vs NEED_MORE), first edit at " + diff + " of " + stream.length
        + ", " + delivered + " frames delivered");
  }

  private static Aead aead(AeadMethod method, byte[] salt) {
    return SessionKeys.streamAead(Fuzz.KEY, salt, Direction.CLIENT_TO_SERVER, method, Fuzz.PORT);
  }
}
