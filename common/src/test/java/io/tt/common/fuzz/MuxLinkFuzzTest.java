package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.mux.MuxLink;
import io.tt.common.mux.MuxStream;
import io.tt.common.mux.MuxWindow;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.wire.Direction;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.MuxFrameType;
import io.tt.common.wire.Padding;
import io.tt.common.wire.SessionKeys;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's side of a mux connection ({@link MuxLink}, PROTOCOL.md section 5.3) on frames from a key holder,
 * without I/O: stand-in sockets (dynamic proxies) take the sealed frames, whole or cut, and collect what the streams
 * deliver to their targets and what the server sends back. The fuzzer picks up to 24 frames: OPENs (flags, good or
 * bad targets, first data), DATA (to live, closed and never-opened streams), CLOSE, WINDOW, REPLY, NOOP, unknown
 * types, a tampered frame; whether the targets connect at once or after every frame, and whether they take no more
 * bytes (so no credit comes back).
 *
 * Targets connected later may also fail to connect (the server then refuses the streams the client still has).
 *
 * <p>Invariants, against a model of the spec: no exception; the connection is closed exactly when the model finds
 * the first violation; without one, each target got exactly its stream's bytes, in order; with one, a prefix of
 * them and nothing from beyond it (a target connected after it got nothing); a stream the client closed has its
 * target closed;
 * what the server sent back opens under its key, one REPLY per OPEN before any DATA of it, with known types only.
 */
class MuxLinkFuzzTest {

  static final long WINDOW = 1 << 20;
  static final TargetAddress ORIGIN = new TargetAddress("127.0.0.1", 8080);

  /** A channel for its config only: stand-in sockets hand it out as theirs. */
  static final io.netty.channel.Channel CONFIG_ONLY = new io.netty.channel.embedded.EmbeddedChannel();

  /** A stand-in socket: records writes and closes, hands the test the handlers the link sets. */
  static final class Socket {
    Handler<Object> messages;
    Handler<Void> closeHandler;
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    boolean closed;
    boolean full;
    NetSocketInternal proxy;

    @SuppressWarnings("unchecked")
    NetSocketInternal open(ByteBufAllocator alloc) {
      ChannelHandlerContext ctx = (ChannelHandlerContext) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {ChannelHandlerContext.class}, (p, m, a) -> switch (m.getName()) {
            case "alloc" -> alloc;
            case "executor" -> ImmediateEventExecutor.INSTANCE;
            case "channel" -> CONFIG_ONLY; // a stream sizes the reads of its socket through the channel's config
            case "close" -> {
              closeNow();
              yield null;
            }
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            default -> throw new UnsupportedOperationException("ctx." + m.getName());
          });
      proxy = (NetSocketInternal) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {NetSocketInternal.class}, (p, m, a) -> switch (m.getName()) {
            case "channelHandlerContext" -> ctx;
            case "messageHandler" -> {
              messages = (Handler<Object>) a[0];
              yield p;
            }
            case "closeHandler" -> {
              closeHandler = (Handler<Void>) a[0];
              yield p;
            }
            case "drainHandler", "exceptionHandler", "pause", "resume", "eventHandler" -> p;
            case "writeMessage" -> {
              ByteBuf b = (ByteBuf) a[0];
              assertFalse(closed, "a write after the close");
              written.writeBytes(Fuzz.bytesOf(b));
              b.release();
              yield Future.succeededFuture();
            }
            case "writeQueueFull" -> full;
            case "close" -> {
              closeNow();
              yield Future.succeededFuture();
            }
            case "hashCode" -> System.identityHashCode(p);
            case "equals" -> p == a[0];
            case "toString" -> "stand-in socket";
            default -> throw new UnsupportedOperationException("socket." + m.getName());
          });
      return proxy;
    }

    void closeNow() {
      if (!closed) {
        closed = true;
        if (closeHandler != null) {
          closeHandler.handle(null);
        }
      }
    }
  }

  /** One frame the fuzzer chose, with what the model makes of it. */
  record Frame(int type, int stream, byte[] payload, boolean tamper) {
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void serverSide(byte[] data) {
    Input p = new Input(data);
    AeadMethod method = p.consumeBoolean() ? AeadMethod.AES_256_GCM : AeadMethod.CHACHA20_POLY1305;
    boolean connectLater = p.consumeBoolean();
    boolean targetsFull = p.consumeBoolean();
    boolean connectsFail = connectLater && p.consumeInt(0, 3) == 0;
    byte[] salt = Fuzz.bytes(p, Frames.SALT_LENGTH);
    byte[] serverSalt = Fuzz.bytes(p, Frames.SALT_LENGTH);

    // ---- the frames, and the model's verdict on each
    List<Frame> frames = new ArrayList<>();
    int n = p.consumeInt(0, 24);
    int opened = 0;
    Map<Integer, Integer> sentPerStream = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int kind = p.consumeInt(0, 11);
      int stream = switch (p.consumeInt(0, 3)) {
        case 0 -> opened + 1;
        case 1 -> opened;
        case 2 -> Math.max(1, opened - 1);
        default -> p.consumeInt(Integer.MIN_VALUE, Integer.MAX_VALUE);
      };
      byte[] payload;
      int type;
      switch (kind) {
        case 0, 1 -> {
          type = MuxFrameType.OPEN.code();
          int flags = switch (p.consumeInt(0, 5)) {
            case 0, 1, 2 -> 0;
            case 3, 4 -> 1;
            default -> p.consumeInt(0, 255);
          };
          byte[] target = switch (p.consumeInt(0, 4)) {
            case 0, 1, 2 -> encode(ORIGIN);
            case 3 -> encode(new TargetAddress("example.com", 443));
            default -> Fuzz.bytes(p, p.consumeInt(0, 12));
          };
          payload = Fuzz.concat(p.consumeBoolean() ? new byte[0] : new byte[] {(byte) flags}, target,
              Fuzz.bytes(p, p.consumeInt(0, 300)));
          if (stream == opened + 1) {
            opened++;
          }
        }
        case 2, 3, 4 -> {
          type = MuxFrameType.DATA.code();
          int len = p.consumeInt(0, 10) == 0 ? p.consumeInt(0, 65_000) : p.consumeInt(0, 2_000);
          // Without a stalled target the server hands out credit as it delivers; keep within the first window
          // there, so the model need not reproduce the grants. A stalled target lets the window run out.
          int sentAlready = sentPerStream.getOrDefault(stream, 0);
          if (!targetsFull) {
            // (300: room for the OPEN's own data, which counts too)
            len = Math.max(0, Math.min(len, MuxWindow.INITIAL - 300 - sentAlready));
          }
          sentPerStream.merge(stream, len, Integer::sum);
          payload = new byte[len];
          java.util.Arrays.fill(payload, (byte) ('a' + i % 26));
        }
        case 5 -> {
          type = MuxFrameType.CLOSE.code();
          payload = p.consumeInt(0, 7) == 0 ? new byte[] {1} : new byte[0];
        }
        case 6 -> {
          type = MuxFrameType.WINDOW.code();
          payload = p.consumeInt(0, 7) == 0 ? Fuzz.bytes(p, p.consumeInt(0, 6))
              : intBytes(p.consumeInt(0, 3) == 0 ? p.consumeInt(Integer.MIN_VALUE, Integer.MAX_VALUE)
                  : p.consumeInt(1, 1 << 20));
        }
        case 7 -> {
          type = MuxFrameType.REPLY.code();
          payload = new byte[] {0};
        }
        case 8 -> {
          type = MuxFrameType.NOOP.code();
          payload = Fuzz.bytes(p, p.consumeInt(0, 40));
        }
        case 9 -> {
          type = p.consumeInt(6, 255);
          payload = Fuzz.bytes(p, p.consumeInt(0, 20));
        }
        default -> {
          type = MuxFrameType.DATA.code();
          payload = new byte[] {'x'};
        }
      }
      frames.add(new Frame(type, stream, payload, kind == 10 && p.consumeBoolean()));
    }

    // ---- seal them as the client would
    Aead c2s = SessionKeys.streamAead(Fuzz.KEY, salt, Direction.CLIENT_TO_SERVER, method, Fuzz.PORT);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    long counter = 0;
    for (Frame f : frames) {
      ByteBuf out = Unpooled.buffer();
      ByteBuf header = Unpooled.buffer().writeShort(f.payload.length).writeByte(0).writeByte(f.type)
          .writeInt(f.stream);
      c2s.seal(counter++, header, 0, header.readableBytes(), out);
      c2s.seal(counter++, Unpooled.wrappedBuffer(f.payload), 0, f.payload.length, out);
      byte[] sealed = Fuzz.bytesOf(out);
      if (f.tamper) {
        sealed[sealed.length - 1] ^= 1;
      }
      wire.writeBytes(sealed);
    }
    byte[] wireBytes = wire.toByteArray();

    // ---- the model: where the first violation is, and what each stream's target gets until then
    int highest = 0;
    Set<Integer> live = new HashSet<>();
    Set<Integer> closedByClient = new HashSet<>();
    Map<Integer, ByteArrayOutputStream> expect = new HashMap<>();
    Map<Integer, Integer> received = new HashMap<>();
    boolean violation = false;
    for (Frame f : frames) {
      if (f.tamper) {
        violation = true;
        break;
      }
      MuxFrameType t = MuxFrameType.of(f.type);
      boolean neverOpened = f.stream == 0 || Integer.compareUnsigned(f.stream, highest) > 0;
      if (t == null || t == MuxFrameType.REPLY) {
        violation = true;
        break;
      }
      if (t == MuxFrameType.NOOP) {
        continue;
      }
      if (t == MuxFrameType.OPEN) {
        int targetEnd = f.payload.length == 0 || (f.payload[0] & ~1) != 0 ? -1 : targetEnd(f.payload);
        if (f.stream == 0 || Integer.compareUnsigned(f.stream, highest) <= 0 || targetEnd < 0) {
          violation = true;
          break;
        }
        highest = f.stream;
        live.add(f.stream);
        int dataLen = f.payload.length - targetEnd;
        expect.computeIfAbsent(f.stream, k -> new ByteArrayOutputStream())
            .write(f.payload, f.payload.length - dataLen, dataLen);
        received.merge(f.stream, dataLen, Integer::sum);
        continue;
      }
      if (neverOpened) {
        violation = true;
        break;
      }
      boolean isLive = live.contains(f.stream);
      switch (t) {
        case DATA -> {
          if (isLive) {
            int total = received.merge(f.stream, f.payload.length, Integer::sum);
            if (targetsFull && total > MuxWindow.INITIAL) {
              violation = true;
            } else {
              expect.get(f.stream).writeBytes(f.payload);
            }
          }
        }
        case CLOSE -> {
          if (f.payload.length != 0) {
            violation = true;
          } else if (isLive) {
            live.remove(f.stream);
            closedByClient.add(f.stream);
          }
        }
        case WINDOW -> {
          if (f.payload.length != 4) {
            violation = true;
          } else if (isLive) {
            long inc = ((f.payload[0] & 0xffL) << 24) | ((f.payload[1] & 0xff) << 16) | ((f.payload[2] & 0xff) << 8)
                | (f.payload[3] & 0xff);
            violation = inc < 1 || inc > Integer.MAX_VALUE;
          }
        }
        default -> throw new AssertionError(t);
      }
      if (violation) {
        break;
      }
    }

    // ---- the server's link on stand-in sockets
    ByteBufAllocator alloc = Fuzz.HEAP;
    Socket tunnel = new Socket();
    NetSocketInternal tunnelSocket = tunnel.open(alloc);
    Map<Integer, Socket> targets = new HashMap<>();
    Map<Integer, MuxStream> streams = new HashMap<>();
    Map<Integer, Boolean> holds = new HashMap<>();
    boolean[] linkClosed = {false};
    FrameEncoder s2c = new FrameEncoder(
        SessionKeys.streamAead(Fuzz.KEY, serverSalt, Direction.SERVER_TO_CLIENT, method, Fuzz.PORT), Padding.AUTO,
        16384);
    s2c.startMux();
    MuxLink link = new MuxLink(tunnelSocket, s2c, true, WINDOW, new MuxLink.Peer() {
      @Override
      public void opened(MuxLink l, int stream, TargetAddress target, boolean holdReply) {
        MuxStream s = l.accept(stream);
        streams.put(stream, s);
        holds.put(stream, holdReply);
        if (!connectLater) {
          connect(s, stream);
        }
      }

      void connect(MuxStream s, int stream) {
        Socket t = new Socket();
        t.full = targetsFull;
        targets.put(stream, t);
        CONFIG_ONLY.config().setRecvByteBufAllocator(new io.netty.channel.AdaptiveRecvByteBufAllocator());
        s.attachTarget(t.open(alloc), holds.get(stream));
        // the target's reads are capped so that their DATA frames fit one loopback segment
        assertInstanceOf(io.tt.common.net.SegmentSizedReads.class, CONFIG_ONLY.config().getRecvByteBufAllocator(),
            "stream " + stream);
      }

      @Override
      public void linkClosed(MuxLink l, boolean protocolError) {
        linkClosed[0] = true;
      }
    });
    FrameDecoder c2sDecoder = new FrameDecoder(
        SessionKeys.streamAead(Fuzz.KEY, salt, Direction.CLIENT_TO_SERVER, method, Fuzz.PORT), alloc);
    c2sDecoder.startMux();
    link.start(c2sDecoder, null);
    for (byte[] piece : Fuzz.split(p, wireBytes, 8)) {
      if (tunnel.closed) {
        break;
      }
      tunnel.messages.handle(Unpooled.wrappedBuffer(piece));
    }
    Set<Integer> refused = new HashSet<>();
    if (connectLater) {
      // The targets connect (or fail to) after every frame came, as MuxTunnel's callbacks would.
      for (Map.Entry<Integer, MuxStream> e : streams.entrySet()) {
        if (connectsFail) {
          if (!e.getValue().isClosed() && !link.isClosed()) {
            refused.add(e.getKey());
          }
          link.refuse(e.getValue(), io.tt.common.wire.ReplyStatus.CONNECTION_REFUSED);
        } else if (!link.isClosed()) {
          Socket t = new Socket();
          t.full = targetsFull;
          targets.put(e.getKey(), t);
          e.getValue().attachTarget(t.open(alloc), holds.get(e.getKey()));
        }
      }
    }

    // ---- verdict
    String told = "frames " + frames.stream().map(f -> (MuxFrameType.of(f.type) == null ? "type " + f.type
        : MuxFrameType.of(f.type).toString()) + " " + Integer.toUnsignedString(f.stream) + " (" + f.payload.length
        + " B" + (f.tamper ? ", tampered" : "") + ")").toList() + ", targets " + (connectLater ? "later" : "at once")
        + (targetsFull ? ", stalled" : "");
    assertEquals(violation, tunnel.closed, "connection closed on a violation, and only then: " + told);
    assertEquals(violation, linkClosed[0]);
    for (Map.Entry<Integer, ByteArrayOutputStream> e : expect.entrySet()) {
      Socket t = targets.get(e.getKey());
      if (t == null) {
        assertTrue(connectLater && (violation || connectsFail), "stream " + e.getKey() + " never reached its target");
        continue;
      }
      byte[] want = e.getValue().toByteArray();
      byte[] got = t.written.toByteArray();
      if (violation) {
        // Consecutive DATA frames reach a stream together, so a run that ends in a violation may be dropped whole.
        assertTrue(got.length <= want.length, "stream " + e.getKey() + " got bytes from beyond the violation");
        assertArrayEquals(java.util.Arrays.copyOf(want, got.length), got, "bytes of stream " + e.getKey());
      } else {
        assertArrayEquals(want, got, "bytes of stream " + e.getKey());
      }
      if (closedByClient.contains(e.getKey()) || violation) {
        assertTrue(t.closed, "target of stream " + e.getKey() + " left open");
      }
    }
    // What the server sent opens under its key: one REPLY per stream before its DATA, known types only.
    FrameDecoder back = new FrameDecoder(
        SessionKeys.streamAead(Fuzz.KEY, serverSalt, Direction.SERVER_TO_CLIENT, method, Fuzz.PORT), alloc);
    back.startMux();
    ByteBuf sent = Unpooled.wrappedBuffer(tunnel.written.toByteArray());
    Set<Integer> replied = new HashSet<>();
    while (sent.isReadable()) {
      ByteBuf payload = Unpooled.buffer();
      assertEquals(FrameDecoder.Result.FRAME, back.decodeOne(sent, payload), "the server's own frames open");
      MuxFrameType t = MuxFrameType.of(back.frameType());
      assertNotNull(t);
      int stream = back.stream();
      switch (t) {
        case REPLY -> {
          assertTrue(replied.add(stream), "two REPLYs for stream " + stream);
          int status = payload.readUnsignedByte();
          assertEquals(refused.contains(stream) ? 0x05 : 0x00, status, "REPLY status of stream " + stream);
        }
        case DATA, CLOSE -> assertTrue(replied.contains(stream), t + " before the REPLY of stream " + stream);
        case WINDOW -> assertTrue(streams.containsKey(stream));
        case NOOP -> { }
        default -> throw new AssertionError("the server sent " + t);
      }
    }
    for (int stream : refused) {
      assertTrue(replied.contains(stream), "refused stream " + stream + " got no REPLY");
    }
    link.close();
  }

  private static byte[] encode(TargetAddress t) {
    ByteBuf b = Unpooled.buffer();
    t.encode(b);
    return Fuzz.bytesOf(b);
  }

  /** Where the target after an OPEN payload's flags byte ends, or -1 where the link refuses it. */
  private static int targetEnd(byte[] payload) {
    ByteBuf b = Unpooled.wrappedBuffer(payload);
    b.skipBytes(1);
    try {
      return TargetAddress.decode(b) == null ? -1 : b.readerIndex();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
