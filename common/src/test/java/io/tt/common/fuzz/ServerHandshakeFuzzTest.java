package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.NetUtil;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.wire.AcceptedKey;
import io.tt.common.wire.Command;
import io.tt.common.wire.Direction;
import io.tt.common.wire.Frames;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.common.wire.ProtocolVectors;
import io.tt.common.wire.ReplayFilter;
import io.tt.common.wire.ServerHandshake;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's side of a new connection (PROTOCOL.md 5.2 and 7) on hostile first bytes.
 *
 * <p>{@link #anyFirstBytes}: arbitrary bytes, fed whole, cut at 51, one byte at a time and cut at seeded random
 * places. It must end in NEED_MORE or REJECTED (ACCEPTED only for the genuine client hello of the vectors), without
 * an exception; the kept buffer never exceeds MAX_HANDSHAKE_BYTES and holds exactly the bytes consumed; the decision
 * falls only at the fixed points (a first segment under 51 bytes: PROBE at once; else BAD_AUTH after exactly 51
 * bytes); unauthenticated bytes never touch the replay filter; a decided handshake consumes nothing more.
 *
 * <p>{@link #validPrefix}: a genuine client hello (fuzzed method, key, port, salt, command, timestamp, target,
 * data, padding, trailing frames) then edited and split. The outcome must match a model of the spec: PROBE, BAD_AUTH
 * (header or body edited, wrong key, wrong port), NEED_MORE (cut short), MALFORMED (a request that does not parse),
 * EXPIRED (timestamp outside the window, computed exactly), or ACCEPTED with the very request, first data and no
 * byte of the following frames consumed; a second connection with the same bytes is refused as REPLAY.
 */
class ServerHandshakeFuzzTest {

  static final long NOW_SECONDS = 1_764_000_000L;
  static final long NOW_MILLIS = NOW_SECONDS * 1000;
  static final long WINDOW_MILLIS = 90_000;
  static final List<AcceptedKey> KEYS = List.of(new AcceptedKey(Fuzz.KEY, AeadMethod.AES_256_GCM),
      new AcceptedKey(Fuzz.KEY, AeadMethod.CHACHA20_POLY1305));
  /** The genuine client hellos of PROTOCOL.md (timestamp 1764000000, port 8443, example.com:443, data "GET"). */
  static final List<byte[]> VECTOR_HELLOS = new ArrayList<>();

  static {
    try {
      ProtocolVectors v = ProtocolVectors.load();
      for (String m : List.of("aes-256-gcm", "chacha20-poly1305")) {
        VECTOR_HELLOS.add(ProtocolVectors.hex(v.block("client-hello " + m).get("bytes")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  record Outcome(ServerHandshake.Step step, ServerHandshake.Rejection rejection, int consumed, int kept,
                 String request, byte[] firstData) {
  }

  // ---------------------------------------------------------------- arbitrary first bytes

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void anyFirstBytes(byte[] data) {
    List<List<byte[]>> splits = new ArrayList<>();
    splits.add(List.of(data));
    splits.add(Fuzz.chunks(data, Frames.FIRST_READ));
    splits.add(Fuzz.chunks(Arrays.copyOf(data, Math.min(data.length, 256)), 1));
    Random r = new Random(Arrays.hashCode(data));
    for (int i = 0; i < 4; i++) {
      int a = data.length == 0 ? 0 : r.nextInt(data.length + 1);
      int b = data.length == 0 ? 0 : r.nextInt(data.length + 1);
      int lo = Math.min(a, b);
      int hi = Math.max(a, b);
      splits.add(List.of(Arrays.copyOfRange(data, 0, lo), Arrays.copyOfRange(data, lo, hi),
          Arrays.copyOfRange(data, hi, data.length)));
    }
    Outcome whole = null;
    for (List<byte[]> pieces : splits) {
      LocalReplayFilter filter = new LocalReplayFilter(2 * WINDOW_MILLIS, 1000);
      Outcome o = feed(pieces, filter, KEYS);
      byte[] fed = Fuzz.concat(pieces.toArray(new byte[0][]));
      int first = pieces.get(0).length;
      // The only bytes that authenticate under this key, port and clock: the vectors' hellos.
      byte[] hello = VECTOR_HELLOS.stream().filter(h -> fed.length >= Frames.FIRST_READ
          && Arrays.equals(h, 0, Frames.FIRST_READ, fed, 0, Frames.FIRST_READ)).findFirst().orElse(null);
      if (first < Frames.FIRST_READ) {
        assertEquals(ServerHandshake.Step.REJECTED, o.step(), "a short first segment is a probe");
        assertEquals(ServerHandshake.Rejection.PROBE, o.rejection());
        assertEquals(first, o.consumed(), "a probe is handed over with its bytes");
        assertEquals(0, filter.size(), "a probe touched the replay filter");
        continue;
      }
      if (hello == null) {
        assertEquals(ServerHandshake.Step.REJECTED, o.step(), "51 unauthenticated bytes decide");
        assertEquals(ServerHandshake.Rejection.BAD_AUTH, o.rejection());
        assertEquals(Frames.FIRST_READ, o.consumed(), "the decision falls after exactly 51 bytes");
        assertEquals(0, filter.size(), "unauthenticated bytes were recorded in the replay filter");
      } else if (fed.length < hello.length) {
        assertEquals(ServerHandshake.Step.NEED_MORE, o.step(), "a genuine header waits for its body");
        assertEquals(fed.length, o.consumed());
      } else if (Arrays.equals(hello, 0, hello.length, fed, 0, hello.length)) {
        assertEquals(ServerHandshake.Step.ACCEPTED, o.step(), "the genuine hello of the vectors");
        assertEquals("CONNECT example.com:443 @1764000000", o.request());
        assertArrayEquals("GET".getBytes(StandardCharsets.US_ASCII), o.firstData());
        assertEquals(hello.length, o.consumed(), "ACCEPTED consumed bytes after the first frame");
      } else {
        assertEquals(ServerHandshake.Step.REJECTED, o.step(), "a genuine header with an edited body");
        assertEquals(ServerHandshake.Rejection.BAD_AUTH, o.rejection());
        assertEquals(hello.length, o.consumed(), "the decision falls after the first body");
      }
      if (whole == null) {
        whole = o;
      } else if (o.step() != ServerHandshake.Step.ACCEPTED) {
        assertEquals(whole, o, "same bytes, same outcome, whatever the split after 51 bytes");
      }
    }
  }

  // ---------------------------------------------------------------- genuine hellos, edited

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void validPrefix(byte[] data) {
    Input p = new Input(data);
    AeadMethod method = p.consumeBoolean() ? AeadMethod.AES_256_GCM : AeadMethod.CHACHA20_POLY1305;
    boolean rightKey = p.consumeInt(0, 7) != 0;
    boolean rightPort = p.consumeInt(0, 7) != 0;
    byte[] salt = Fuzz.bytes(p, Frames.SALT_LENGTH);
    int cmd = switch (p.consumeInt(0, 3)) {
      case 0, 1 -> Command.CONNECT.code();
      case 2 -> Command.TUN_STREAM.code();
      default -> p.consumeInt(0, 255);
    };
    long ts = switch (p.consumeInt(0, 3)) {
      case 0, 1 -> NOW_SECONDS + p.consumeInt(-200, 200);
      case 2 -> p.consumeLong();
      default -> NOW_SECONDS + p.consumeInt(-1_000_000, 1_000_000);
    };
    byte[] target = switch (p.consumeInt(0, 4)) {
      case 0 -> Fuzz.concat(new byte[] {1}, Fuzz.bytes(p, 6));
      case 1 -> {
        int len = p.consumeInt(1, 255);
        yield Fuzz.concat(new byte[] {3, (byte) len}, Fuzz.bytes(p, len + 2));
      }
      case 2 -> Fuzz.concat(new byte[] {4}, Fuzz.bytes(p, 18));
      case 3 -> p.consumeBytes(p.consumeInt(0, 300));
      default -> new byte[0];
    };
    byte[] firstData = p.consumeBytes(p.consumeInt(0, 15) == 0 ? p.consumeInt(0, 65_000) : p.consumeInt(0, 300));
    int pad = p.consumeInt(0, Frames.MAX_PADDING);
    byte[] payload = Fuzz.concat(new byte[] {(byte) cmd}, longBytes(ts), target, firstData);
    payload = Arrays.copyOf(payload, Math.min(payload.length, Frames.MAX_PAYLOAD));

    MasterKey key = rightKey ? Fuzz.KEY : Fuzz.OTHER_KEY;
    int port = rightPort ? Fuzz.PORT : Fuzz.PORT + 1;
    Fuzz.Opening opening = Fuzz.opening(p, key, salt, Direction.CLIENT_TO_SERVER, method, port, payload, pad);
    int firstEnd = opening.firstEnd();
    byte[] genuine = opening.bytes();
    byte[] stream = Fuzz.mutate(p, genuine, 3);
    List<byte[]> pieces = Fuzz.split(p, stream, 20);
    int diff = Fuzz.firstDifference(stream, genuine);

    // The model.
    ServerHandshake.Step step = ServerHandshake.Step.REJECTED;
    ServerHandshake.Rejection why = null;
    String request = null;
    byte[] expectData = null;
    boolean headerOk = rightKey && rightPort && diff >= Frames.FIRST_READ;
    if (pieces.get(0).length < Frames.FIRST_READ) {
      why = ServerHandshake.Rejection.PROBE;
    } else if (!headerOk) {
      why = ServerHandshake.Rejection.BAD_AUTH;
    } else if (stream.length < firstEnd) {
      step = ServerHandshake.Step.NEED_MORE;
    } else if (diff < firstEnd) {
      why = ServerHandshake.Rejection.BAD_AUTH;
    } else {
      Object[] parsed = parseRequest(payload);
      if (parsed == null) {
        why = ServerHandshake.Rejection.MALFORMED;
      } else if (BigInteger.valueOf(ts).multiply(BigInteger.valueOf(1000)).subtract(BigInteger.valueOf(NOW_MILLIS))
          .abs().compareTo(BigInteger.valueOf(WINDOW_MILLIS)) > 0) {
        why = ServerHandshake.Rejection.EXPIRED;
      } else {
        step = ServerHandshake.Step.ACCEPTED;
        request = (String) parsed[0];
        expectData = (byte[]) parsed[1];
      }
    }

    LocalReplayFilter filter = new LocalReplayFilter(2 * WINDOW_MILLIS, 1000);
    Outcome o = feed(pieces, filter, KEYS);
    assertEquals(step, o.step(), "step (first edit at " + diff + " of " + stream.length + ", first piece "
        + pieces.get(0).length + ")");
    assertEquals(why, o.rejection(), "rejection");
    if (step == ServerHandshake.Step.ACCEPTED) {
      assertEquals(request, o.request());
      assertArrayEquals(expectData, o.firstData(), "first data for the target");
      assertEquals(firstEnd, o.consumed(), "ACCEPTED consumed bytes of the following frames");
    }
    if (why == ServerHandshake.Rejection.BAD_AUTH && !headerOk) {
      assertEquals(Frames.FIRST_READ, o.consumed(), "a bad header decides after exactly 51 bytes");
    }
    boolean recorded = headerOk && why != ServerHandshake.Rejection.PROBE;
    assertEquals(recorded ? 1 : 0, filter.size(), "replay filter holds only authenticated salts");
    if (recorded) {
      Outcome again = feed(List.of(stream), filter, KEYS);
      assertEquals(ServerHandshake.Step.REJECTED, again.step(), "the same bytes again");
      assertEquals(ServerHandshake.Rejection.REPLAY, again.rejection(), "the same bytes again");
    }
  }

  /** {request text, first data} as the spec reads the payload, or null for MALFORMED. */
  static Object[] parseRequest(byte[] payload) {
    if (payload.length < 9) {
      return null;
    }
    int cmd = payload[0] & 0xff;
    long ts = ByteBufLong.of(payload, 1);
    if (cmd == Command.TUN_STREAM.code() || cmd == Command.MUX.code()) {
      // No target; what follows is data (a MUX request's server then refuses any, but the handshake accepts).
      return new Object[] {Command.of(cmd) + " @" + ts, Arrays.copyOfRange(payload, 9, payload.length)};
    }
    if (cmd != Command.CONNECT.code() || payload.length < 10) {
      return null;
    }
    int atyp = payload[9] & 0xff;
    int addrLen;
    String host;
    switch (atyp) {
      case 1, 4 -> {
        int ipLen = atyp == 1 ? 4 : 16;
        addrLen = 1 + ipLen + 2;
        if (payload.length < 9 + addrLen) {
          return null;
        }
        host = NetUtil.bytesToIpAddress(Arrays.copyOfRange(payload, 10, 10 + ipLen));
      }
      case 3 -> {
        if (payload.length < 11 || payload[10] == 0) {
          return null;
        }
        int len = payload[10] & 0xff;
        addrLen = 2 + len + 2;
        if (payload.length < 9 + addrLen) {
          return null;
        }
        // Netty decodes "US-ASCII" byte for byte (as ISO-8859-1): a name with high bytes passes through as such.
        host = new String(payload, 11, len, StandardCharsets.ISO_8859_1);
      }
      default -> {
        return null;
      }
    }
    int portAt = 9 + addrLen - 2;
    int port = ((payload[portAt] & 0xff) << 8) | (payload[portAt + 1] & 0xff);
    return new Object[] {"CONNECT " + new TargetAddress(host, port) + " @" + ts,
        Arrays.copyOfRange(payload, 9 + addrLen, payload.length)};
  }

  // ---------------------------------------------------------------- driving

  static Outcome feed(List<byte[]> pieces, ReplayFilter filter, List<AcceptedKey> keys) {
    ServerHandshake hs = new ServerHandshake(keys, Fuzz.PORT, filter, NOW_MILLIS, WINDOW_MILLIS, Fuzz.HEAP);
    int consumed = 0;
    ServerHandshake.Step step = ServerHandshake.Step.NEED_MORE;
    byte[] all = Fuzz.concat(pieces.toArray(new byte[0][]));
    for (byte[] piece : pieces) {
      ByteBuf in = Unpooled.wrappedBuffer(piece);
      ServerHandshake.Step before = step;
      step = hs.feed(in);
      consumed += in.readerIndex();
      int kept = hs.received().readableBytes();
      assertTrue(kept <= ServerHandshake.MAX_HANDSHAKE_BYTES, "kept " + kept + " bytes");
      if (before != ServerHandshake.Step.NEED_MORE) {
        assertEquals(before, step, "a decided handshake changed its mind");
        assertEquals(0, in.readerIndex(), "a decided handshake consumed bytes");
      } else if (step == ServerHandshake.Step.NEED_MORE) {
        assertEquals(0, in.readableBytes(), "NEED_MORE left input unread");
      }
      if (step == ServerHandshake.Step.REJECTED) {
        assertNotNull(hs.rejection());
      }
    }
    int kept = hs.received().readableBytes();
    assertEquals(consumed, kept, "the kept bytes are the bytes consumed");
    assertArrayEquals(Arrays.copyOf(all, consumed), Fuzz.bytesOf(hs.received()),
        "what the fake site would get is what was read");
    String request = null;
    byte[] first = null;
    if (step == ServerHandshake.Step.ACCEPTED) {
      var r = hs.request();
      request = r.command() + (r.target() == null ? "" : " " + r.target()) + " @" + r.timestampSeconds();
      first = Fuzz.bytesOf(hs.firstData());
      hs.firstData().release();
      hs.decoder().release();
    }
    return new Outcome(step, hs.rejection(), consumed, kept, request, first);
  }

  static byte[] longBytes(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
    return b;
  }

  /** Big-endian long from an array. */
  static final class ByteBufLong {
    static long of(byte[] b, int at) {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (b[at + i] & 0xff);
      }
      return v;
    }
  }
}
