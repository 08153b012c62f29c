package io.tt.client.tun;

import io.tt.common.tun.MemoryTun;
import io.tt.common.tun.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tt.client.ClientContext;
import io.tt.client.ClientKeys;
import io.tt.client.ServerPicker;
import io.tt.common.config.ClientConfig;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.Direction;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpHeaderCipher;
import io.tt.common.wire.UdpKeys;
import io.tt.common.wire.UdpOpener;
import io.tt.common.wire.UdpSealer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's TUN mode over UDP against a fake server made of plain sockets on every port of a small range, with
 * 1-second slots: packets go out as datagrams of one session to the current slot's port, follow the jumps, and
 * the server's answers reach the device. No root needed.
 */
@Timeout(60)
class UdpTunnelClientTest {

  static final String KEY = "udp client test key";
  static final int SLOT_SECONDS = 1;

  Vertx vertx;
  MemoryTun tun;
  List<DatagramSocket> serverSockets = new ArrayList<>();
  LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  PortSchedule schedule;
  MasterKey master;
  UdpHeaderCipher header;
  AeadMethod method = AeadMethod.CHACHA20_POLY1305;

  /** One datagram the fake server got: where, from whom, when, and its bytes. */
  record Received(int port, InetSocketAddress from, long atMillis, byte[] bytes) {
  }

  @BeforeEach
  void start() throws Exception {
    int base = bindRange(4);
    ClientConfig cfg = ClientConfig.fromJson(new JsonObject().put("server", "127.0.0.1").put("key", KEY)
        .put("listen", "127.0.0.1:1080").put("tun-ip", "10.1.0.2/24").put("port-range", base + "-" + (base + 3))
        .put("slot-seconds", SLOT_SECONDS));
    ClientKeys keys = ClientKeys.derive(cfg.tunnel());
    schedule = keys.schedule();
    master = keys.key();
    header = UdpHeaderCipher.of(master);
    vertx = Vertx.vertx();
    ServerPicker picker = new ServerPicker(vertx, cfg.servers(), cfg.balance(), SlotClock.SYSTEM);
    picker.start().await(10, TimeUnit.SECONDS);
    tun = new MemoryTun(1410);
    vertx.deployVerticle(new TunClientVerticle(new ClientContext(cfg, keys, picker, SlotClock.SYSTEM), t -> tun))
        .await(20, TimeUnit.SECONDS);
  }

  /** Binds {@code n} consecutive loopback ports, each feeding {@link #received}; returns the first. */
  int bindRange(int n) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(40_000, 60_000);
      List<DatagramSocket> got = new ArrayList<>();
      try {
        for (int p = base; p < base + n; p++) {
          got.add(new DatagramSocket(p, InetAddress.getLoopbackAddress()));
        }
      } catch (java.net.BindException e) {
        got.forEach(DatagramSocket::close);
        continue;
      }
      serverSockets.addAll(got);
      for (DatagramSocket s : got) {
        Thread t = new Thread(() -> serve(s), "fake-server-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
      }
      return base;
    }
    throw new IllegalStateException("no free port range");
  }

  void serve(DatagramSocket s) {
    byte[] buf = new byte[4096];
    while (!s.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        received.add(new Received(s.getLocalPort(), (InetSocketAddress) p.getSocketAddress(),
            System.currentTimeMillis(), java.util.Arrays.copyOf(buf, p.getLength())));
      } catch (Exception e) {
        return;
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    serverSockets.forEach(DatagramSocket::close);
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The fake server's view of one datagram: its session, number, and opened body. */
  record Opened(long session, long packetNumber, UdpOpener.Result result, byte[] payload) {
  }

  final java.util.Map<Long, UdpOpener> openers = new java.util.HashMap<>();

  Opened open(Received r) {
    ByteBuf d = Unpooled.wrappedBuffer(r.bytes());
    header.decrypt(d, 0);
    long sid = header.sessionId();
    long n = header.packetNumber();
    UdpOpener o = openers.computeIfAbsent(sid,
        s -> new UdpOpener(method, UdpKeys.key(master, s, Direction.CLIENT_TO_SERVER, method), 30));
    ByteBuf out = Unpooled.buffer();
    UdpOpener.Result res = o.open(n, d, r.port(), System.currentTimeMillis(), out);
    return new Opened(sid, n, res, ByteBufUtil.getBytes(out));
  }

  @Test
  void packetsGoOutAsDatagramsOfOneSessionToTheCurrentPort() throws Exception {
    Set<Integer> ports = new TreeSet<>();
    Set<Long> sessions = new TreeSet<>();
    long end = System.currentTimeMillis() + 4500;
    int sent = 0;
    int seen = 0;
    while (System.currentTimeMillis() < end) {
      byte[] p = Ipv4.udp("10.1.0.2", "10.1.0.1", 1000, 2000, ("packet " + sent).getBytes(StandardCharsets.US_ASCII));
      tun.toRead.add(p);
      sent++;
      Thread.sleep(50);
      Received r;
      while ((r = received.poll()) != null) {
        Opened o = open(r);
        assertTrue(o.result() == UdpOpener.Result.PACKET || o.result() == UdpOpener.Result.KEEPALIVE,
            "datagram opens with the key and its server port as associated data: " + o.result());
        long slot = schedule.slotAt(r.atMillis());
        assertTrue(r.port() == schedule.portFor(slot) || r.port() == schedule.portFor(slot - 1),
            "sent to port " + r.port() + " in slot " + slot + " whose port is " + schedule.portFor(slot));
        ports.add(r.port());
        sessions.add(o.session());
        seen++;
      }
    }
    assertEquals(1, sessions.size(), "one session across the port jumps");
    assertTrue(seen >= sent * 0.9, seen + " datagrams for " + sent + " packets");
    Set<Integer> scheduled = new TreeSet<>();
    for (long s = schedule.slotAt(end - 4500) + 1; s <= schedule.slotAt(end) - 1; s++) {
      scheduled.add(schedule.portFor(s));
    }
    assertTrue(ports.containsAll(scheduled), "every slot's port was used: used " + ports + ", scheduled " + scheduled);
  }

  @Test
  void theFirstDatagramOnEachPortAnnouncesTheTunAddress() throws Exception {
    Received r = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(r, "the client speaks first");
    Opened o = open(r);
    assertEquals(UdpOpener.Result.PACKET, o.result());
    byte[] expected = Ipv4.udp("10.1.0.2", "10.1.0.255", 9, 9, new byte[0]);
    expected[4] = 0; // the announce has IP id 0, the helper 1
    expected[5] = 0;
    expected[10] = 0;
    expected[11] = 0;
    int sum = Ipv4.checksum(expected);
    expected[10] = (byte) (sum >>> 8);
    expected[11] = (byte) sum;
    assertArrayEquals(expected, o.payload(),
        "an empty UDP datagram from the client's TUN address to its subnet's broadcast address, port 9");
  }

  @Test
  void answersFromTheServerReachTheDevice() throws Exception {
    Received hello = received.poll(5, TimeUnit.SECONDS);
    assertNotNull(hello);
    Opened o = open(hello);
    UdpSealer s2c = new UdpSealer(header, o.session(), method,
        UdpKeys.key(master, o.session(), Direction.SERVER_TO_CLIENT, method),
        UdpDatagram.serverFirstPacketNumber(System.currentTimeMillis()));
    DatagramSocket from = serverSockets.stream().filter(s -> s.getLocalPort() == hello.port()).findFirst().orElseThrow();
    byte[] down = Ipv4.udp("10.1.0.1", "10.1.0.2", 53, 5353, "an answer".getBytes(StandardCharsets.US_ASCII));
    ByteBuf d = Unpooled.buffer();
    s2c.seal(UdpDatagram.TYPE_PACKET, System.currentTimeMillis() / 1000, Unpooled.wrappedBuffer(down), 3,
        hello.port(), d);
    byte[] bytes = ByteBufUtil.getBytes(d);
    from.send(new DatagramPacket(bytes, bytes.length, hello.from()));
    assertArrayEquals(down, tun.written.poll(3, TimeUnit.SECONDS), "into the client's device");
    from.send(new DatagramPacket(bytes, bytes.length, hello.from()));
    assertEquals(null, tun.written.poll(500, TimeUnit.MILLISECONDS), "a replayed answer is dropped");
    byte[] junk = new byte[200];
    ThreadLocalRandom.current().nextBytes(junk);
    from.send(new DatagramPacket(junk, junk.length, hello.from()));
    assertEquals(null, tun.written.poll(500, TimeUnit.MILLISECONDS), "junk is dropped");
  }

}
