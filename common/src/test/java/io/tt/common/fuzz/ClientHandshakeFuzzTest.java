package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.Direction;
import io.tt.common.wire.Frames;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerResponse;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client reading the server's reply ({@code server salt || first frame(request salt, status, data)}), on a
 * genuine reply that the fuzzer edits and splits (with no genuine part left this is arbitrary bytes).
 *
 * <p>Invariants against a model: no exception; NEED_MORE until 32 + 19 bytes and then until the whole first frame is
 * there; FAILED for an edited salt, header or body, a wrong key or port, a reply echoing another salt or too short
 * to hold the echo and status; ACCEPTED only for the untouched genuine reply, with its status and exactly its data,
 * consuming nothing of the frames that follow; NEED_MORE consumes all input; a decided handshake consumes nothing.
 */
class ClientHandshakeFuzzTest {

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void serverReply(byte[] data) {
    Input p = new Input(data);
    AeadMethod method = p.consumeBoolean() ? AeadMethod.AES_256_GCM : AeadMethod.CHACHA20_POLY1305;
    byte[] clientSalt = Fuzz.bytes(p, Frames.SALT_LENGTH);
    byte[] serverSalt = Fuzz.bytes(p, Frames.SALT_LENGTH);
    boolean rightKey = p.consumeInt(0, 7) != 0;
    boolean rightPort = p.consumeInt(0, 7) != 0;
    int echo = p.consumeInt(0, 3);
    int status = p.consumeInt(0, 255);
    byte[] body = p.consumeBytes(p.consumeInt(0, 15) == 0 ? p.consumeInt(0, 65_000) : p.consumeInt(0, 300));
    int pad = p.consumeInt(0, Frames.MAX_PADDING);
    byte[] head = switch (echo) {
      case 0 -> Fuzz.concat(Fuzz.bytes(p, Frames.SALT_LENGTH), new byte[] {(byte) status});
      case 1 -> p.consumeBytes(p.consumeInt(0, ServerResponse.LENGTH - 1));
      default -> Fuzz.concat(clientSalt, new byte[] {(byte) status});
    };
    boolean echoOk = echo >= 2 || (echo == 0 && Arrays.equals(Arrays.copyOf(head, 32), clientSalt));
    byte[] payload = echo == 1 ? head : Fuzz.concat(head, body);
    payload = Arrays.copyOf(payload, Math.min(payload.length, Frames.MAX_PAYLOAD));

    MasterKey key = rightKey ? Fuzz.KEY : Fuzz.OTHER_KEY;
    int port = rightPort ? Fuzz.PORT : Fuzz.PORT + 1;
    Fuzz.Opening opening = Fuzz.opening(p, key, serverSalt, Direction.SERVER_TO_CLIENT, method, port, payload, pad);
    int firstEnd = opening.firstEnd();
    byte[] genuine = opening.bytes();
    byte[] stream = Fuzz.mutate(p, genuine, 3);
    List<byte[]> pieces = Fuzz.split(p, stream, 20);
    int diff = Fuzz.firstDifference(stream, genuine);

    ClientHandshake.Step expect;
    if (stream.length < Frames.FIRST_READ) {
      expect = ClientHandshake.Step.NEED_MORE;
    } else if (!rightKey || !rightPort || diff < Frames.FIRST_READ) {
      expect = ClientHandshake.Step.FAILED;
    } else if (stream.length < firstEnd) {
      expect = ClientHandshake.Step.NEED_MORE;
    } else if (diff < firstEnd || !echoOk || payload.length < ServerResponse.LENGTH) {
      expect = ClientHandshake.Step.FAILED;
    } else {
      expect = ClientHandshake.Step.ACCEPTED;
    }

    ClientHandshake hs = new ClientHandshake(Fuzz.KEY, method, Fuzz.PORT, Padding.OFF, 16384, Fuzz.HEAP, clientSalt);
    ByteBuf out = Unpooled.buffer();
    ClientHandshake.Step step = ClientHandshake.Step.NEED_MORE;
    int consumed = 0;
    for (byte[] piece : pieces) {
      ByteBuf in = Unpooled.wrappedBuffer(piece);
      ClientHandshake.Step before = step;
      int outBefore = out.writerIndex();
      step = hs.feed(in, out);
      consumed += in.readerIndex();
      if (before != ClientHandshake.Step.NEED_MORE) {
        assertEquals(before, step, "a decided handshake changed its mind");
        assertEquals(0, in.readerIndex(), "a decided handshake consumed bytes");
      } else if (step == ClientHandshake.Step.NEED_MORE) {
        assertEquals(0, in.readableBytes(), "NEED_MORE left input unread");
      }
      if (step != ClientHandshake.Step.ACCEPTED || before == ClientHandshake.Step.ACCEPTED) {
        assertEquals(outBefore, out.writerIndex(), "data delivered without an accepted reply");
      }
      if (hs.decoder() != null) {
        assertTrue(hs.decoder().pendingBytes() <= Frames.MAX_BODY_SEALED, "pending bytes over one body");
      }
    }
    assertEquals(expect, step, "step (first edit at " + diff + " of " + stream.length + ", first frame ends at "
        + firstEnd + ")");
    if (step == ClientHandshake.Step.ACCEPTED) {
      assertEquals(ReplyStatus.of(status), hs.status());
      assertArrayEquals(Arrays.copyOfRange(payload, ServerResponse.LENGTH, payload.length), Fuzz.bytesOf(out),
          "first data");
      assertEquals(firstEnd, consumed, "ACCEPTED consumed bytes of the following frames");
    }
    if (hs.decoder() != null) {
      hs.decoder().release();
    }
  }
}
