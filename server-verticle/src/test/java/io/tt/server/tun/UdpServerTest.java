package io.tt.server.tun;

import io.tt.common.tun.MemoryTun;
import io.tt.common.tun.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tt.common.config.ServerConfig;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.Direction;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpHeaderCipher;
import io.tt.common.wire.UdpKeys;
import io.tt.common.wire.UdpOpener;
import io.tt.common.wire.UdpSealer;
import io.tt.server.ServerContext;
import io.tt.server.ServerKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's TUN mode over UDP with an in-memory TUN device and datagrams made here: what reaches the device,
 * what comes back, and that every bad datagram is dropped and counted. No root needed.
 */
@Timeout(60)
class UdpServerTest {

  static final String KEY = "udp server test key";
  static Vertx vertx;
  static MemoryTun tun;
  static TunServerVerticle verticle;
  static MasterKey master;
  static int port;
  static InetAddress loopback;

  @BeforeAll
  static void start() throws Exception {
    loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket probe = new DatagramSocket(0, loopback)) {
      port = probe.getLocalPort();
    }
    ServerConfig cfg = ServerConfig.fromJson(new JsonObject().put("key", KEY).put("tun-ip", "10.1.0.1/24")
        .put("listen", "127.0.0.1").put("port-range", port + "-" + port)
        .put("methods", "chacha20-poly1305,aes-256-gcm"));
    ServerKeys keys = ServerKeys.derive(cfg.tunnel());
    ServerContext ctx = new ServerContext(cfg, keys, SlotClock.SYSTEM, new LocalReplayFilter(60_000, 1000),
        (so, bytes) -> so.close());
    vertx = Vertx.vertx();
    tun = new MemoryTun(1410);
    verticle = new TunServerVerticle(ctx, t -> tun);
    vertx.deployVerticle(verticle).await(20, TimeUnit.SECONDS);
    master = MasterKey.derive(KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void drain() {
    tun.written.clear();
  }

  /** A client session made by the test: its own socket, keys and counters. */
  static final class Client implements AutoCloseable {
    final long id = new SecureRandom().nextLong();
    final AeadMethod method;
    final MasterKey key;
    final UdpHeaderCipher header;
    final UdpSealer sealer;
    final UdpOpener opener;
    DatagramSocket socket;

    Client(AeadMethod method) throws Exception {
      this(method, master);
    }

    Client(AeadMethod method, MasterKey key) throws Exception {
      this.method = method;
      this.key = key;
      this.header = UdpHeaderCipher.of(key);
      this.sealer = new UdpSealer(header, id, method, UdpKeys.key(key, id, Direction.CLIENT_TO_SERVER, method));
      this.opener = new UdpOpener(method, UdpKeys.key(key, id, Direction.SERVER_TO_CLIENT, method), 30);
      this.socket = newSocket();
    }

    static DatagramSocket newSocket() throws Exception {
      DatagramSocket s = new DatagramSocket(0, loopback);
      s.setSoTimeout(2000);
      return s;
    }

    byte[] datagram(int type, byte[] packet, long nowMillis) {
      ByteBuf out = Unpooled.buffer();
      sealer.seal(type, nowMillis / 1000, packet == null ? null : Unpooled.wrappedBuffer(packet), 7, port, out);
      return ByteBufUtil.getBytes(out);
    }

    byte[] packetDatagram(byte[] packet) {
      return datagram(UdpDatagram.TYPE_PACKET, packet, System.currentTimeMillis());
    }

    void send(byte[] datagram) throws Exception {
      socket.send(new DatagramPacket(datagram, datagram.length, new InetSocketAddress(loopback, port)));
    }

    /** The next packet the server sends this session on {@code s}, or null within the timeout. */
    byte[] receive(DatagramSocket s) throws Exception {
      byte[] buf = new byte[2048];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        s.receive(p);
      } catch (SocketTimeoutException e) {
        return null;
      }
      ByteBuf d = Unpooled.wrappedBuffer(buf, 0, p.getLength());
      header.decrypt(d, 0);
      assertEquals(id, header.sessionId(), "a datagram of another session");
      ByteBuf out = Unpooled.buffer();
      assertEquals(UdpOpener.Result.PACKET, opener.open(header.packetNumber(), d, p.getPort(), System.currentTimeMillis(),
          out));
      assertEquals(port, p.getPort(), "answered from the port the session used");
      return ByteBufUtil.getBytes(out);
    }

    @Override
    public void close() {
      socket.close();
      sealer.release();
    }
  }

  static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] written() throws InterruptedException {
    return tun.written.poll(3, TimeUnit.SECONDS);
  }

  static byte[] nothingWritten() throws InterruptedException {
    return tun.written.poll(500, TimeUnit.MILLISECONDS);
  }

  @Test
  void packetsGoIntoTheDeviceAndAnswersComeBack() throws Exception {
    for (AeadMethod m : AeadMethod.values()) {
      try (Client c = new Client(m)) {
        String me = m == AeadMethod.AES_256_GCM ? "10.1.0.20" : "10.1.0.21";
        byte[] up = Ipv4.udp(me, "10.1.0.1", 5000, 53, text("hello over " + m));
        c.send(c.packetDatagram(up));
        assertArrayEquals(up, written(), "the inner packet, byte for byte, into the device");

        byte[] down = Ipv4.udp("10.1.0.1", me, 53, 5000, text("answer over " + m));
        tun.toRead.add(down);
        assertArrayEquals(down, c.receive(c.socket), "a packet for the client's address reaches the client");
      }
    }
  }

  @Test
  void replayedDatagramsAreDroppedAndCounted() throws Exception {
    try (Client c = new Client(AeadMethod.AES_256_GCM)) {
      byte[] d = c.packetDatagram(Ipv4.udp("10.1.0.30", "10.1.0.1", 1, 2, text("once")));
      long before = verticle.stats().drops("REPLAYED");
      c.send(d);
      assertNotNull(written());
      c.send(d);
      c.send(d);
      assertNull(nothingWritten(), "a replay reached the device");
      assertEquals(before + 2, verticle.stats().drops("REPLAYED"));
    }
  }

  @Test
  void garbageIsDroppedSilentlyAndCounted() throws Exception {
    long size = verticle.stats().drops("SIZE");
    long unknown = verticle.stats().drops("UNKNOWN_SESSION");
    Random rnd = new Random(42);
    try (DatagramSocket s = Client.newSocket()) {
      for (int len : new int[] {0, 1, 16, 42, 43, 44, 100, 1000, 1453, 1472, 2400, 9000}) {
        byte[] junk = new byte[len];
        rnd.nextBytes(junk);
        s.send(new DatagramPacket(junk, len, new InetSocketAddress(loopback, port)));
      }
      s.setSoTimeout(500);
      boolean answered;
      try {
        s.receive(new DatagramPacket(new byte[64], 64));
        answered = true;
      } catch (SocketTimeoutException expected) {
        answered = false; // nothing comes back to a prober
      }
      assertTrue(!answered, "the server answered junk");
    }
    assertNull(nothingWritten());
    long dropped = verticle.stats().drops("SIZE") - size + verticle.stats().drops("UNKNOWN_SESSION") - unknown;
    assertEquals(12, dropped, "every junk datagram counted: " + verticle.stats().dropSummary());
    assertTrue(verticle.stats().drops("SIZE") - size >= 4, "the ones too short or too long by size");
    // Still serving.
    try (Client c = new Client(AeadMethod.CHACHA20_POLY1305)) {
      c.send(c.packetDatagram(Ipv4.udp("10.1.0.31", "10.1.0.1", 1, 2, text("after the junk"))));
      assertNotNull(written());
    }
  }

  @Test
  void anotherKeyOrATamperedDatagramOpensNothing() throws Exception {
    long unknown = verticle.stats().drops("UNKNOWN_SESSION");
    try (Client stranger = new Client(AeadMethod.CHACHA20_POLY1305, MasterKey.ofRaw(new byte[32]))) {
      stranger.send(stranger.packetDatagram(Ipv4.udp("10.1.0.40", "10.1.0.1", 1, 2, text("wrong key"))));
      assertNull(nothingWritten());
    }
    assertEquals(unknown + 1, verticle.stats().drops("UNKNOWN_SESSION"));
    try (Client c = new Client(AeadMethod.CHACHA20_POLY1305)) {
      c.send(c.packetDatagram(Ipv4.udp("10.1.0.41", "10.1.0.1", 1, 2, text("first"))));
      assertNotNull(written());
      long badAuth = verticle.stats().drops("BAD_AUTH");
      byte[] d = c.packetDatagram(Ipv4.udp("10.1.0.41", "10.1.0.1", 1, 2, text("second")));
      d[d.length - 3] ^= 1;
      c.send(d);
      assertNull(nothingWritten());
      assertEquals(badAuth + 1, verticle.stats().drops("BAD_AUTH"));
    }
  }

  @Test
  void staleTimestampsAreDropped() throws Exception {
    long stale = verticle.stats().drops("STALE");
    try (Client c = new Client(AeadMethod.AES_256_GCM)) {
      c.send(c.packetDatagram(Ipv4.udp("10.1.0.50", "10.1.0.1", 1, 2, text("fresh"))));
      assertNotNull(written());
      c.send(c.datagram(UdpDatagram.TYPE_PACKET, Ipv4.udp("10.1.0.50", "10.1.0.1", 1, 2, text("old")),
          System.currentTimeMillis() - 3_600_000));
      assertNull(nothingWritten());
    }
    assertEquals(stale + 1, verticle.stats().drops("STALE"));
  }

  @Test
  void sessionFollowsTheClientToANewSocket() throws Exception {
    try (Client c = new Client(AeadMethod.CHACHA20_POLY1305)) {
      c.send(c.packetDatagram(Ipv4.udp("10.1.0.60", "10.1.0.1", 1, 2, text("from the first socket"))));
      assertNotNull(written());
      DatagramSocket first = c.socket;
      c.socket = Client.newSocket(); // what the client does at a port jump: new socket, new source port
      c.send(c.datagram(UdpDatagram.TYPE_KEEPALIVE, null, System.currentTimeMillis()));
      Thread.sleep(200);
      byte[] down = Ipv4.udp("10.1.0.1", "10.1.0.60", 2, 1, text("to wherever the client is now"));
      tun.toRead.add(down);
      assertArrayEquals(down, c.receive(c.socket));
      first.setSoTimeout(300);
      assertNull(c.receive(first), "nothing to the old socket");
      first.close();
    }
  }

  @Test
  void packetsAreRoutedToTheClientOwningTheDestination() throws Exception {
    try (Client a = new Client(AeadMethod.CHACHA20_POLY1305); Client b = new Client(AeadMethod.AES_256_GCM)) {
      a.send(a.packetDatagram(Ipv4.udp("10.1.0.70", "10.1.0.1", 1, 2, text("a"))));
      b.send(b.packetDatagram(Ipv4.udp("10.1.0.71", "10.1.0.1", 1, 2, text("b"))));
      assertNotNull(written());
      assertNotNull(written());
      byte[] toB = Ipv4.udp("10.1.0.1", "10.1.0.71", 2, 1, text("for b"));
      byte[] toA = Ipv4.udp("10.1.0.1", "10.1.0.70", 2, 1, text("for a"));
      tun.toRead.add(toB);
      tun.toRead.add(toA);
      assertArrayEquals(toB, b.receive(b.socket));
      assertArrayEquals(toA, a.receive(a.socket));
      a.socket.setSoTimeout(300);
      b.socket.setSoTimeout(300);
      assertNull(a.receive(a.socket));
      assertNull(b.receive(b.socket));
      long noRoute = verticle.stats().drops("NO_ROUTE");
      tun.toRead.add(Ipv4.udp("10.1.0.1", "10.1.0.99", 2, 1, text("nobody")));
      Thread.sleep(300);
      assertEquals(noRoute + 1, verticle.stats().drops("NO_ROUTE"));
    }
  }

  @Test
  void authenticDatagramsWithoutAnIpPacketAreDropped() throws Exception {
    long bad = verticle.stats().drops("BAD_PACKET");
    try (Client c = new Client(AeadMethod.CHACHA20_POLY1305)) {
      c.send(c.packetDatagram(text("not an IP packet at all")));
      byte[] truncated = Ipv4.udp("10.1.0.80", "10.1.0.1", 1, 2, text("cut short"));
      c.send(c.packetDatagram(java.util.Arrays.copyOf(truncated, truncated.length - 4)));
      assertNull(nothingWritten());
    }
    assertEquals(bad + 2, verticle.stats().drops("BAD_PACKET"));
  }
}
