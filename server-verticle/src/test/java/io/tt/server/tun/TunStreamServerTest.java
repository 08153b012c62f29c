package io.tt.server.tun;

import io.tt.common.tun.MemoryTun;
import io.tt.common.tun.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.common.config.ServerConfig;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerHandshake;
import io.tt.server.ServerContext;
import io.tt.server.ServerKeys;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * TUN mode over a TCP tunnel stream on the server, with an in-memory device: the test plays the TCP listener's
 * part (handshake, then hand-over, as InboundTunnel does) and a client with a plain socket. No root needed.
 */
@Timeout(60)
class TunStreamServerTest {

  static final String KEY = "tun stream server test key";
  static Vertx vertx;
  static MemoryTun tun;
  static TunServerVerticle verticle;
  static ServerContext ctx;
  static MasterKey master;
  static int port;

  @BeforeAll
  static void start() throws Exception {
    ServerConfig cfg = ServerConfig.fromJson(new JsonObject().put("key", KEY).put("tun-ip", "10.1.0.1/24")
        .put("listen", "127.0.0.1").put("tun-proto", "TCP"));
    ServerKeys keys = ServerKeys.derive(cfg.tunnel());
    ctx = new ServerContext(cfg, keys, SlotClock.SYSTEM, new LocalReplayFilter(60_000, 1000), (so, b) -> so.close());
    vertx = Vertx.vertx();
    tun = new MemoryTun(1410);
    verticle = new TunServerVerticle(ctx, t -> tun);
    vertx.deployVerticle(verticle).await(20, TimeUnit.SECONDS);
    NetServer listener = vertx.createNetServer().connectHandler(so -> {
      NetSocketInternal s = (NetSocketInternal) so;
      ServerHandshake hs = new ServerHandshake(keys.accepted(), port, ctx.replayFilter(), System.currentTimeMillis(),
          30_000, s.channelHandlerContext().alloc());
      s.messageHandler(msg -> {
        ByteBuf in = (ByteBuf) msg;
        ServerHandshake.Step step = hs.feed(in);
        if (step == ServerHandshake.Step.ACCEPTED) {
          s.pause();
          ByteBuf early = in.isReadable() ? in : null;
          if (early == null) {
            in.release();
          }
          ctx.tunStreams().accept(new TunStreamHandoff(s, port, hs.acceptedKey(), hs.salt(), hs.decoder(),
              hs.firstData(), early));
        } else {
          in.release();
          if (step == ServerHandshake.Step.REJECTED) {
            s.close();
          }
        }
      });
    });
    port = listener.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    master = MasterKey.derive(KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A client stream over a blocking socket. */
  static final class Stream implements AutoCloseable {
    final Socket socket = new Socket("127.0.0.1", port);
    final ClientHandshake hs = new ClientHandshake(master, AeadMethod.CHACHA20_POLY1305, port, Padding.AUTO, 16384,
        UnpooledByteBufAllocator.DEFAULT);
    final InputStream in;
    final OutputStream out;
    final ByteBuf pending = Unpooled.buffer();

    Stream() throws Exception {
      socket.setSoTimeout(3000);
      in = socket.getInputStream();
      out = socket.getOutputStream();
      out.write(ByteBufUtil.getBytes(hs.hello(ClientRequest.tunStream(System.currentTimeMillis() / 1000), null)));
      ByteBuf ignored = Unpooled.buffer();
      while (hs.feed(readSome(), ignored) == ClientHandshake.Step.NEED_MORE) {
        // the server's salt and first frame arrive in pieces
      }
      assertEquals(ReplyStatus.OK, hs.status(), "the server takes TUN streams");
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

    void sendPacket(byte[] packet) throws Exception {
      ByteBuf f = Unpooled.buffer();
      hs.encoder().encodeFrame(Unpooled.wrappedBuffer(packet), 0, packet.length, 5, f);
      out.write(ByteBufUtil.getBytes(f));
    }

    /** The next frame's payload (one IP packet). */
    byte[] receivePacket() throws Exception {
      FrameDecoder d = hs.decoder();
      ByteBuf out = Unpooled.buffer();
      FrameDecoder.Result r;
      while ((r = d.decodeOne(pending, out)) == FrameDecoder.Result.NEED_MORE) {
        readSome();
      }
      assertEquals(FrameDecoder.Result.FRAME, r);
      return ByteBufUtil.getBytes(out);
    }

    @Override
    public void close() throws java.io.IOException {
      socket.close();
    }
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void packetsFlowBothWaysOverTheStream() throws Exception {
    tun.written.clear();
    try (Stream s = new Stream()) {
      byte[] up = Ipv4.udp("10.1.0.5", "10.1.0.1", 1, 2, text("up the stream"));
      s.sendPacket(up);
      assertArrayEquals(up, tun.written.poll(3, TimeUnit.SECONDS));
      for (int i = 0; i < 50; i++) {
        byte[] down = Ipv4.udp("10.1.0.1", "10.1.0.5", 2, 1, text("down the stream " + i));
        tun.toRead.add(down);
        assertArrayEquals(down, s.receivePacket(), "packet " + i);
      }
    }
  }

  @Test
  void aFrameThatDoesNotOpenEndsTheStreamAndItsRoutes() throws Exception {
    tun.written.clear();
    try (Stream s = new Stream()) {
      s.sendPacket(Ipv4.udp("10.1.0.6", "10.1.0.1", 1, 2, text("hello")));
      assertNotNull(tun.written.poll(3, TimeUnit.SECONDS));
      s.out.write(new byte[40]); // not a frame under this stream's key
      java.io.IOException end = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
        while (true) {
          s.readSome();
        }
      });
      org.junit.jupiter.api.Assertions.assertFalse(end instanceof java.net.SocketTimeoutException,
          "the server should close the stream, not leave it silent");
      Thread.sleep(200);
      long noRoute = verticle.stats().drops("NO_ROUTE");
      tun.toRead.add(Ipv4.udp("10.1.0.1", "10.1.0.6", 2, 1, text("to nobody now")));
      Thread.sleep(300);
      assertEquals(noRoute + 1, verticle.stats().drops("NO_ROUTE"), "the stream's address was forgotten");
      assertNull(tun.written.poll(100, TimeUnit.MILLISECONDS));
    }
  }
}
