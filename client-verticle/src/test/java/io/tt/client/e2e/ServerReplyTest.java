package io.tt.client.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * When the server's reply goes out, seen over a raw socket with the client's own handshake code: with the target's
 * first bytes in the same write when the client sent data with its hello (one segment, as ss-server's first chunk),
 * alone before the close when the target ends without a byte, and at once when the hello carried no data.
 */
@Timeout(60)
class ServerReplyTest {

  static TtHarness h;
  static PortSchedule schedule;

  @BeforeAll
  static void start() throws Exception {
    h = new TtHarness(300, 60, "aes-256-gcm").start();
    schedule = Schedules.of(h.serverConfig);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  /** A target that reads what arrives, waits, then answers {@code answer} (or nothing) and closes. */
  private static ServerSocket target(long delayMillis, byte[] answer) throws IOException {
    ServerSocket ss = new ServerSocket();
    ss.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread t = new Thread(() -> {
      try (Socket s = ss.accept()) {
        s.setSoTimeout(delayMillis > 0 ? (int) delayMillis : 1);
        try {
          s.getInputStream().read(new byte[4096]);
        } catch (SocketTimeoutException e) {
          // the hello carried no data: nothing to read
        }
        Thread.sleep(delayMillis);
        if (answer != null) {
          s.getOutputStream().write(answer);
          s.getOutputStream().flush();
        }
      } catch (IOException | InterruptedException e) {
        // the test fails on what the client sees
      }
    }, "target");
    t.setDaemon(true);
    t.start();
    return ss;
  }

  private static ClientHandshake handshake(int port) {
    return new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port, Padding.AUTO, 16384,
        UnpooledByteBufAllocator.DEFAULT);
  }

  private static Socket open(ClientHandshake hs, int port, int targetPort, byte[] firstData) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
    s.setSoTimeout(5000);
    ByteBuf hello = hs.hello(ClientRequest.connect(new TargetAddress("127.0.0.1", targetPort),
        System.currentTimeMillis() / 1000), firstData == null ? null : Unpooled.wrappedBuffer(firstData));
    s.getOutputStream().write(ByteBufUtil.getBytes(hello));
    hello.release();
    return s;
  }

  /** One read() of the tunnel socket, fed to the handshake: the plain bytes it carried (reply, then frames). */
  private static byte[] firstRead(ClientHandshake hs, InputStream in) throws IOException {
    byte[] buf = new byte[65536];
    int n = in.read(buf);
    ByteBuf wire = Unpooled.wrappedBuffer(buf, 0, Math.max(n, 0));
    ByteBuf plain = Unpooled.buffer();
    assertEquals(ClientHandshake.Step.ACCEPTED, hs.feed(wire, plain), "the whole reply is in the first read");
    assertEquals(ReplyStatus.OK, hs.status());
    while (wire.isReadable() && hs.decoder().decodeOne(wire, plain) == FrameDecoder.Result.FRAME) {
      // every whole frame of this read
    }
    return ByteBufUtil.getBytes(plain);
  }

  private static int currentPort() {
    return schedule.portFor(schedule.slotAt(System.currentTimeMillis()));
  }

  @Test
  void replyTravelsWithTheTargetsFirstBytes() throws Exception {
    byte[] answer = "late answer from the target".getBytes(StandardCharsets.US_ASCII);
    try (ServerSocket target = target(300, answer)) {
      int port = currentPort();
      ClientHandshake hs = handshake(port);
      try (Socket s = open(hs, port, target.getLocalPort(), "request".getBytes(StandardCharsets.US_ASCII))) {
        // The target answers 300 ms after the tunnel is up; a reply sent at once would be a read of its own.
        assertArrayEquals(answer, firstRead(hs, s.getInputStream()));
      }
    }
  }

  @Test
  void replyGoesAloneWhenTheTargetClosesWithoutAByte() throws Exception {
    try (ServerSocket target = target(100, null)) {
      int port = currentPort();
      ClientHandshake hs = handshake(port);
      try (Socket s = open(hs, port, target.getLocalPort(), "request".getBytes(StandardCharsets.US_ASCII))) {
        assertArrayEquals(new byte[0], firstRead(hs, s.getInputStream()));
        assertEquals(-1, s.getInputStream().read(), "then the tunnel ends cleanly");
      }
    }
  }

  @Test
  void replyGoesAtOnceWhenTheHelloCarriedNoData() throws Exception {
    try (ServerSocket target = target(3000, "never read".getBytes(StandardCharsets.US_ASCII))) {
      int port = currentPort();
      ClientHandshake hs = handshake(port);
      try (Socket s = open(hs, port, target.getLocalPort(), null)) {
        s.setSoTimeout(2000);
        // HTTP CONNECT: the application waits for the tunnel before it speaks; the reply must not wait for it.
        assertArrayEquals(new byte[0], firstRead(hs, s.getInputStream()));
        assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "the target is still silent");
      }
    }
  }
}
