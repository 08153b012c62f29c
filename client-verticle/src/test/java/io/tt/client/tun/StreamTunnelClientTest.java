package io.tt.client.tun;

import io.tt.common.tun.MemoryTun;
import io.tt.common.tun.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.client.ClientContext;
import io.tt.client.ClientKeys;
import io.tt.client.ServerPicker;
import io.tt.common.config.ClientConfig;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.AcceptedKey;
import io.tt.common.wire.Command;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerHandshake;
import io.tt.common.wire.ServerReply;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The client's TUN mode over a TCP tunnel stream against a fake TT server (a blocking socket speaking the stream
 * protocol with common's handshake classes): the stream asks for TUN_STREAM, carries one packet per frame both
 * ways, and is dialled again when the server drops it. No root needed.
 */
@Timeout(60)
class StreamTunnelClientTest {

  static final String KEY = "stream client test key";

  Vertx vertx;
  MemoryTun tun;
  ServerSocket listener;
  ClientKeys keys;
  final LinkedBlockingQueue<FakeStream> accepted = new LinkedBlockingQueue<>();

  /** One stream as the fake server sees it. */
  final class FakeStream {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final ByteBuf pending = Unpooled.buffer();
    FrameDecoder decoder;
    FrameEncoder encoder;
    Command command;

    FakeStream(Socket socket) throws Exception {
      this.socket = socket;
      socket.setSoTimeout(5000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
    }

    void handshake() throws Exception {
      ServerHandshake hs = new ServerHandshake(List.of(new AcceptedKey(keys.key(), keys.method())),
          listener.getLocalPort(), new LocalReplayFilter(60_000, 1000), System.currentTimeMillis(), 30_000,
          UnpooledByteBufAllocator.DEFAULT);
      while (hs.feed(readSome()) == ServerHandshake.Step.NEED_MORE) {
        // more bytes
      }
      assertEquals(ServerHandshake.Step.ACCEPTED, hs.step());
      command = hs.request().command();
      decoder = hs.decoder();
      byte[] salt = new byte[Frames.SALT_LENGTH];
      encoder = ServerReply.encoder(keys.key(), keys.method(), listener.getLocalPort(), Padding.AUTO, 16384, salt);
      out.write(ByteBufUtil.getBytes(ServerReply.hello(UnpooledByteBufAllocator.DEFAULT, encoder, salt, hs.salt(),
          ReplyStatus.OK, null)));
    }

    ByteBuf readSome() throws Exception {
      byte[] b = new byte[65536];
      int n = in.read(b);
      if (n < 0) {
        throw new java.io.EOFException();
      }
      pending.writeBytes(b, 0, n);
      return pending;
    }

    byte[] receivePacket() throws Exception {
      ByteBuf p = Unpooled.buffer();
      FrameDecoder.Result r;
      while ((r = decoder.decodeOne(pending, p)) == FrameDecoder.Result.NEED_MORE) {
        readSome();
      }
      assertEquals(FrameDecoder.Result.FRAME, r);
      return ByteBufUtil.getBytes(p);
    }

    void sendPacket(byte[] packet) throws Exception {
      ByteBuf f = Unpooled.buffer();
      encoder.encodeFrame(Unpooled.wrappedBuffer(packet), 0, packet.length, 0, f);
      out.write(ByteBufUtil.getBytes(f));
    }
  }

  @BeforeEach
  void start() throws Exception {
    listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!listener.isClosed()) {
        try {
          FakeStream s = new FakeStream(listener.accept());
          s.handshake();
          accepted.add(s);
        } catch (Exception e) {
          return;
        }
      }
    }, "fake-tt-server");
    t.setDaemon(true);
    t.start();
    int port = listener.getLocalPort();
    ClientConfig cfg = ClientConfig.fromJson(new JsonObject().put("server", "127.0.0.1").put("key", KEY)
        .put("listen", "127.0.0.1:1080").put("tun-ip", "10.1.0.2/24").put("tun-proto", "TCP")
        .put("port-range", port + "-" + port).put("methods", AeadMethod.AES_256_GCM.wireName()));
    keys = ClientKeys.derive(cfg.tunnel());
    vertx = Vertx.vertx();
    ServerPicker picker = new ServerPicker(vertx, cfg.servers(), cfg.balance(), SlotClock.SYSTEM);
    picker.start().await(10, TimeUnit.SECONDS);
    tun = new MemoryTun(1410);
    vertx.deployVerticle(new TunClientVerticle(new ClientContext(cfg, keys, picker, SlotClock.SYSTEM), x -> tun))
        .await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    listener.close();
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void packetsTravelOnePerFrameBothWays() throws Exception {
    FakeStream s = accepted.poll(10, TimeUnit.SECONDS);
    assertNotNull(s, "the client dials a stream");
    assertEquals(Command.TUN_STREAM, s.command);
    byte[] announce = s.receivePacket();
    assertEquals(28, announce.length, "the first frame announces the TUN address");
    for (int i = 0; i < 20; i++) {
      byte[] up = Ipv4.udp("10.1.0.2", "10.1.0.1", 7, 8, text("up " + i));
      tun.toRead.add(up);
      assertArrayEquals(up, s.receivePacket());
      byte[] down = Ipv4.udp("10.1.0.1", "10.1.0.2", 8, 7, text("down " + i));
      s.sendPacket(down);
      assertArrayEquals(down, tun.written.poll(3, TimeUnit.SECONDS));
    }
  }

  @Test
  void aDroppedStreamIsDialledAgain() throws Exception {
    FakeStream first = accepted.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    first.socket.close();
    FakeStream second = accepted.poll(10, TimeUnit.SECONDS);
    assertNotNull(second, "a new stream after the first one dropped");
    second.receivePacket(); // announce
    byte[] up = Ipv4.udp("10.1.0.2", "10.1.0.1", 7, 8, text("after the redial"));
    tun.toRead.add(up);
    assertArrayEquals(up, second.receivePacket());
  }
}
