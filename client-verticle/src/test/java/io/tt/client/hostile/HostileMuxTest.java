package io.tt.client.hostile;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.client.e2e.Curl;
import io.tt.client.e2e.TestOrigin;
import io.tt.client.e2e.TtHarness;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.Direction;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.MuxFrameType;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.SessionKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A key holder that breaks the mux protocol (PROTOCOL.md section 5.3), over a raw socket to a real server: every
 * case ends in the server closing the connection within a bound (never a hang, never the fake site), and a good
 * client still works afterwards. One well-formed exchange, built by hand from the wire classes, checks the server
 * side from scratch.
 */
@Timeout(120)
class HostileMuxTest {

  static final String GET = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  static TestOrigin origin;
  static TtHarness h;

  @BeforeAll
  static void start() throws Exception {
    Curl.assumeInstalled();
    origin = new TestOrigin("127.0.0.1");
    h = Probe.harness(200, "aes-256-gcm");
    h.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private static ByteBuf open(TargetAddress target, String data) {
    ByteBuf p = Unpooled.buffer().writeByte(0); // flags: wait for the reply
    target.encode(p);
    p.writeCharSequence(data, StandardCharsets.US_ASCII);
    return p;
  }

  /** Seals one mux frame into {@code out}. */
  private static void frame(FrameEncoder enc, MuxFrameType type, int stream, ByteBuf payload, ByteBuf out) {
    enc.encodeMuxFrame(type, stream, payload, payload.readerIndex(), payload.readableBytes(), 0, out);
  }

  /** Sends the hello and the frames {@code build} writes, then expects the server to close within 5 s. */
  private static void closedAfter(String what, java.util.function.BiConsumer<FrameEncoder, ByteBuf> build)
      throws Exception {
    try (Socket s = Probe.connect(Probe.currentPort(h))) {
      int port = s.getPort();
      ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
          Padding.AUTO, 16384, UnpooledByteBufAllocator.DEFAULT);
      ByteBuf out = Unpooled.buffer();
      out.writeBytes(hs.hello(ClientRequest.mux(System.currentTimeMillis() / 1000), null));
      hs.encoder().startMux();
      build.accept(hs.encoder(), out);
      long start = System.nanoTime();
      try {
        s.getOutputStream().write(ByteBufUtil.getBytes(out));
      } catch (IOException e) {
        // closed while we wrote: what it said is still readable
      }
      Probe.Answer a = Probe.read(s, 5000, start);
      assertTrue(a.closed(), what + ": the connection stays open");
      assertTrue(!a.isNginx(400) && !a.text().startsWith("HTTP/"), what + ": answered as a web site");
    }
  }

  @Test
  void dataForAStreamNeverOpenedClosesTheConnection() throws Exception {
    closedAfter("DATA for stream 5", (enc, out) ->
        frame(enc, MuxFrameType.DATA, 5, Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII), out));
    Probe.goodClientWorks(h, origin);
  }

  @Test
  void aStreamOpenedTwiceClosesTheConnection() throws Exception {
    TargetAddress t = new TargetAddress("127.0.0.1", origin.port());
    closedAfter("OPEN 1 twice", (enc, out) -> {
      frame(enc, MuxFrameType.OPEN, 1, open(t, ""), out);
      frame(enc, MuxFrameType.OPEN, 1, open(t, ""), out);
    });
    closedAfter("OPEN 0", (enc, out) -> frame(enc, MuxFrameType.OPEN, 0, open(t, ""), out));
    Probe.goodClientWorks(h, origin);
  }

  @Test
  void malformedFramesCloseTheConnection() throws Exception {
    TargetAddress t = new TargetAddress("127.0.0.1", origin.port());
    closedAfter("an OPEN with a bad address type", (enc, out) ->
        frame(enc, MuxFrameType.OPEN, 1, Unpooled.wrappedBuffer(new byte[] {0, 9, 1, 2, 3, 4, 0, 80}), out));
    closedAfter("an OPEN with an unknown flag", (enc, out) ->
        frame(enc, MuxFrameType.OPEN, 1, Unpooled.wrappedBuffer(new byte[] {2, 1, 127, 0, 0, 1, 0, 80}), out));
    closedAfter("an empty OPEN", (enc, out) -> frame(enc, MuxFrameType.OPEN, 1, Unpooled.EMPTY_BUFFER, out));
    closedAfter("a REPLY from the client", (enc, out) -> {
      frame(enc, MuxFrameType.OPEN, 1, open(t, ""), out);
      frame(enc, MuxFrameType.REPLY, 1, Unpooled.wrappedBuffer(new byte[] {0}), out);
    });
    closedAfter("a WINDOW of 0", (enc, out) -> {
      frame(enc, MuxFrameType.OPEN, 1, open(t, ""), out);
      frame(enc, MuxFrameType.WINDOW, 1, Unpooled.buffer().writeInt(0), out);
    });
    closedAfter("a CLOSE with a payload", (enc, out) -> {
      frame(enc, MuxFrameType.OPEN, 1, open(t, ""), out);
      frame(enc, MuxFrameType.CLOSE, 1, Unpooled.wrappedBuffer(new byte[] {1}), out);
    });
    closedAfter("a tampered frame", (enc, out) -> {
      int at = out.writerIndex();
      frame(enc, MuxFrameType.OPEN, 1, open(t, GET), out);
      out.setByte(at + 30, out.getByte(at + 30) ^ 1);
    });
    Probe.goodClientWorks(h, origin);
  }

  @Test
  void anUnknownFrameTypeClosesTheConnection() throws Exception {
    for (int type : new int[] {0x06, 0x09, 0xff}) {
      try (Socket s = Probe.connect(Probe.currentPort(h))) {
        int port = s.getPort();
        ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
            Padding.OFF, 16384, UnpooledByteBufAllocator.DEFAULT);
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(hs.hello(ClientRequest.mux(System.currentTimeMillis() / 1000), null));
        // The encoder writes known types only: seal the next frame (counters 2 and 3) by hand.
        Aead aead = SessionKeys.streamAead(MasterKey.derive(TtHarness.KEY), hs.salt(), Direction.CLIENT_TO_SERVER,
            AeadMethod.AES_256_GCM, port);
        ByteBuf header = Unpooled.buffer().writeShort(1).writeByte(0).writeByte(type).writeInt(1);
        aead.seal(2, header, 0, header.readableBytes(), out);
        aead.seal(3, Unpooled.wrappedBuffer(new byte[] {7}), 0, 1, out);
        s.getOutputStream().write(ByteBufUtil.getBytes(out));
        Probe.Answer a = Probe.read(s, 5000, System.nanoTime());
        assertTrue(a.closed(), "type " + type + ": still open");
      }
    }
    try (Socket s = Probe.connect(Probe.currentPort(h))) {
      int port = s.getPort();
      ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
          Padding.OFF, 16384, UnpooledByteBufAllocator.DEFAULT);
      ByteBuf out = Unpooled.buffer();
      out.writeBytes(hs.hello(ClientRequest.mux(System.currentTimeMillis() / 1000), null));
      // A plain frame where mux frames must come: its header is 5 bytes short, so it fails to open.
      hs.encoder().encodeFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), 0, 3, 0, out);
      s.getOutputStream().write(ByteBufUtil.getBytes(out));
      Probe.Answer a = Probe.read(s, 5000, System.nanoTime());
      assertTrue(a.closed(), "a plain frame on a mux connection: still open");
    }
    Probe.goodClientWorks(h, origin);
  }

  /**
   * A sender that ignores flow control: 32 MiB for a target that never reads. The server takes the window (and
   * what the target's socket buffers) and then closes the connection rather than buffer the rest.
   */
  @Test
  void dataBeyondTheWindowClosesTheConnection() throws Exception {
    try (ServerSocket sink = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
         Socket s = Probe.connect(Probe.currentPort(h))) {
      Thread accepter = new Thread(() -> {
        try {
          Socket never = sink.accept(); // accepted, never read
          Thread.sleep(60_000);
          never.close();
        } catch (Exception e) {
          // test over
        }
      });
      accepter.setDaemon(true);
      accepter.start();
      int port = s.getPort();
      ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
          Padding.OFF, 16384, UnpooledByteBufAllocator.DEFAULT);
      ByteBuf out = Unpooled.buffer();
      out.writeBytes(hs.hello(ClientRequest.mux(System.currentTimeMillis() / 1000), null));
      hs.encoder().startMux();
      frame(hs.encoder(), MuxFrameType.OPEN, 1, open(new TargetAddress("127.0.0.1", sink.getLocalPort()), ""), out);
      s.getOutputStream().write(ByteBufUtil.getBytes(out));
      byte[] chunk = new byte[16000];
      boolean refused = false;
      long sent = 0;
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (sent < (32L << 20) && System.nanoTime() < deadline) {
        out.clear();
        hs.encoder().encodeMuxData(1, Unpooled.wrappedBuffer(chunk), out);
        try {
          s.getOutputStream().write(ByteBufUtil.getBytes(out));
        } catch (IOException e) {
          refused = true;
          break;
        }
        sent += chunk.length;
      }
      if (!refused) {
        refused = Probe.read(s, 5000, System.nanoTime()).closed();
      }
      assertTrue(refused, "the server took " + sent + " bytes beyond the window and kept the connection");
    }
    Probe.goodClientWorks(h, origin);
  }

  /**
   * Seeded random mux traffic from a key holder: frames of any type code, stream and payload, sealed correctly, 150
   * connections of up to 12 frames each. Whatever the server makes of them, it answers within its bounds (each
   * connection ends or stays open, nothing waits on it) and good clients are served throughout.
   */
  @Test
  void randomAuthenticatedMuxFramesLeaveTheServerServing() throws Exception {
    java.util.Random rnd = new java.util.Random(4242);
    TargetAddress t = new TargetAddress("127.0.0.1", origin.port());
    for (int c = 0; c < 150; c++) {
      try (Socket s = Probe.connect(Probe.currentPort(h))) {
        int port = s.getPort();
        ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
            Padding.OFF, 16384, UnpooledByteBufAllocator.DEFAULT);
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(hs.hello(ClientRequest.mux(System.currentTimeMillis() / 1000), null));
        Aead aead = SessionKeys.streamAead(MasterKey.derive(TtHarness.KEY), hs.salt(), Direction.CLIENT_TO_SERVER,
            AeadMethod.AES_256_GCM, port);
        long counter = 2;
        int frames = 1 + rnd.nextInt(12);
        for (int f = 0; f < frames; f++) {
          int type = rnd.nextInt(10) < 8 ? rnd.nextInt(6) : rnd.nextInt(256);
          int stream = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(4);
          ByteBuf payload = Unpooled.buffer();
          switch (rnd.nextInt(4)) {
            case 0 -> {
              payload.writeByte(rnd.nextInt(3));
              t.encode(payload);
              payload.writeCharSequence(GET, StandardCharsets.US_ASCII);
            }
            case 1 -> payload.writeInt(rnd.nextInt());
            case 2 -> payload.writeByte(rnd.nextInt(256));
            default -> {
              byte[] junk = new byte[rnd.nextInt(300)];
              rnd.nextBytes(junk);
              payload.writeBytes(junk);
            }
          }
          ByteBuf header = Unpooled.buffer().writeShort(payload.readableBytes()).writeByte(0).writeByte(type)
              .writeInt(stream);
          aead.seal(counter++, header, 0, header.readableBytes(), out);
          aead.seal(counter++, payload, 0, payload.readableBytes(), out);
        }
        try {
          s.getOutputStream().write(ByteBufUtil.getBytes(out));
        } catch (IOException e) {
          // closed already: fine
        }
        Probe.read(s, 150, System.nanoTime());
      }
      if (c % 50 == 49) {
        Probe.goodClientWorks(h, origin);
      }
    }
    Probe.goodClientWorks(h, origin);
  }

  /**
   * A well-formed stream by hand: OPEN with the request, then the REPLY and the origin's answer come back, REPLY
   * first, whether the client asks to wait for it (flags 0) or not (flags 1: it comes with the answer).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1})
  void aHandWrittenStreamGetsItsAnswer(int flags) throws Exception {
    try (Socket s = Probe.connect(Probe.currentPort(h))) {
      int port = s.getPort();
      ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
          Padding.AUTO, 16384, UnpooledByteBufAllocator.DEFAULT);
      ByteBuf out = Unpooled.buffer();
      out.writeBytes(hs.hello(ClientRequest.mux(System.currentTimeMillis() / 1000), null));
      hs.encoder().startMux();
      ByteBuf open = open(new TargetAddress("127.0.0.1", origin.port()), GET);
      open.setByte(0, flags);
      frame(hs.encoder(), MuxFrameType.OPEN, 1, open, out);
      s.getOutputStream().write(ByteBufUtil.getBytes(out));

      ByteBuf in = Unpooled.buffer();
      ByteBuf scratch = Unpooled.buffer();
      ClientHandshake.Step step = ClientHandshake.Step.NEED_MORE;
      StringBuilder answer = new StringBuilder();
      boolean replied = false;
      boolean closed = false;
      s.setSoTimeout(5000);
      InputStream is = s.getInputStream();
      byte[] buf = new byte[8192];
      while (!closed) {
        int n;
        try {
          n = is.read(buf);
        } catch (SocketTimeoutException e) {
          break;
        }
        if (n < 0) {
          break;
        }
        in.writeBytes(buf, 0, n);
        if (step == ClientHandshake.Step.NEED_MORE) {
          step = hs.feed(in, scratch);
          if (step != ClientHandshake.Step.ACCEPTED) {
            continue;
          }
          assertEquals(ReplyStatus.OK, hs.status());
          hs.decoder().startMux();
        }
        FrameDecoder dec = hs.decoder();
        while (in.isReadable()) {
          ByteBuf payload = Unpooled.buffer();
          FrameDecoder.Result r = dec.decodeOne(in, payload);
          if (r == FrameDecoder.Result.NEED_MORE) {
            break;
          }
          assertEquals(FrameDecoder.Result.FRAME, r);
          MuxFrameType type = MuxFrameType.of(dec.frameType());
          if (type == MuxFrameType.NOOP) {
            continue;
          }
          assertEquals(1, dec.stream());
          switch (type) {
            case REPLY -> {
              assertEquals(0, payload.readByte());
              replied = true;
            }
            case DATA -> {
              assertTrue(replied, "DATA before the REPLY");
              answer.append(payload.toString(StandardCharsets.US_ASCII));
            }
            case CLOSE -> closed = true;
            default -> throw new AssertionError("unexpected " + type);
          }
        }
        in.discardReadBytes();
      }
      assertTrue(closed, "the stream's CLOSE came (Connection: close at the origin)");
      assertTrue(answer.toString().startsWith("HTTP/1.1 200"), answer.toString());
      assertTrue(answer.toString().endsWith("\r\n\r\nhello from 127.0.0.1\n"), answer.toString()); // the Host header
    }
  }
}
