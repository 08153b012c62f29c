package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real thing: a TUN device in a private network namespace, addressed with TunAddressing, with
 * the kernel's ping and UDP talking to it. Skips (with the reason) without root, /dev/net/tun or ip.
 * Each test uses its own subnet 10.99.N.0/24; the device sits at .1, the "far end" is .2.
 */
@Timeout(60)
class LinuxTunNetnsTest {
  private static Netns ns;
  private static Vertx vertx;

  private static String skipReason;

  // The check is made per test (in @BeforeEach): surefire reports a class-level abort in
  // @BeforeAll as "Tests run: 0" with no reason, which would look like a pass.
  @BeforeAll
  static void setUp() throws Exception {
    skipReason = Netns.skipReason();
    if (skipReason == null) {
      try {
        ns = Netns.create("tt-tun-test");
      } catch (IllegalStateException e) {
        skipReason = e.getMessage(); // `ip netns add` refused (no permission in this container, say)
      }
    }
    if (skipReason != null) {
      System.err.println("LinuxTunNetnsTest skipped: " + skipReason);
      return;
    }
    vertx = Vertx.vertx();
  }

  @BeforeEach
  void requireNamespace() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  private static TunDevice open(int subnet, String ipv6) throws Exception {
    TunDevice dev = ns.call(() -> LinuxTun.open(new TunOptions("tttest%d", 1500)));
    TunAddressing.forOs(TunAddressing.Os.LINUX).withCommandPrefix(ns.prefix())
        .configure(dev, "10.99." + subnet + ".1/24", ipv6);
    return dev;
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  /** Answers ICMP echo requests on a plain thread; ends when the device is closed. */
  private static Thread echoResponder(TunDevice dev, AtomicInteger replies) {
    Thread t = new Thread(() -> {
      ByteBuffer buf = ByteBuffer.allocateDirect(2048);
      try {
        while (true) {
          buf.clear();
          int n = dev.read(buf);
          if (n == 0) {
            continue;
          }
          buf.flip();
          if (Packets.toEchoReply(buf)) { // anything else (IPv6 router solicitations...) is ignored
            buf.position(0);
            dev.write(buf);
            replies.incrementAndGet();
          }
        }
      } catch (TunClosedException expected) {
        // done
      } catch (TunException e) {
        e.printStackTrace();
      }
    }, "echo-responder");
    t.start();
    return t;
  }

  private static int received(String pingOutput) {
    Matcher m = Pattern.compile("(\\d+) received").matcher(pingOutput);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  @Test
  void pingIsAnsweredThroughTheDevice() throws Exception {
    Assumptions.assumeTrue(Netns.onPath("ping") != null, "ping (iputils-ping) is not installed");
    TunDevice dev = open(0, null);
    assertTrue(dev.name().startsWith("tttest"), dev.name());
    AtomicInteger replies = new AtomicInteger();
    Thread responder = echoResponder(dev, replies);
    Netns.Result r = ns.exec(20, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.99.0.2");
    dev.close();
    responder.join(2000);
    assertEquals(3, received(r.output()), r.output());
    assertEquals(0, r.exit(), r.output());
    assertEquals(3, replies.get());
    assertFalse(responder.isAlive(), "close() ended the blocked reader");
  }

  @Test
  void udpDatagramArrivesOnTheDevice() throws Exception {
    TunDevice dev = open(1, "fd00:99:1::1/64");
    try {
      CompletableFuture<byte[]> v4 = new CompletableFuture<>();
      CompletableFuture<byte[]> v6 = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        try {
          while (!(v4.isDone() && v6.isDone())) {
            buf.clear();
            if (dev.read(buf) == 0) {
              continue;
            }
            buf.flip();
            byte[] copy = new byte[buf.remaining()];
            buf.get(copy);
            ByteBuf b = Unpooled.wrappedBuffer(copy);
            if (IpPacket.isWellFormed(b) && IpPacket.protocol(b) == IpPacket.PROTO_UDP
                && b.getUnsignedShort(IpPacket.headerLength(b) + 2) == 9) {
              (IpPacket.version(b) == 4 ? v4 : v6).complete(copy);
            }
          }
        } catch (TunException e) {
          v4.completeExceptionally(e);
          v6.completeExceptionally(e);
        }
      }, "udp-reader");
      reader.start();
      byte[] payload = "hello through tt".getBytes(StandardCharsets.US_ASCII);
      ns.call(() -> {
        try (DatagramSocket s = new DatagramSocket()) {
          s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(ip("10.99.1.2"), 9)));
          s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(ip("fd00:99:1::2"), 9)));
        }
        return null;
      });
      ByteBuf p4 = Unpooled.wrappedBuffer(v4.get(10, TimeUnit.SECONDS));
      assertEquals(4, IpPacket.version(p4));
      assertEquals("10.99.1.1", IpPacket.ipv4ToString(IpPacket.ipv4Source(p4)));
      assertEquals("10.99.1.2", IpPacket.ipv4ToString(IpPacket.ipv4Destination(p4)));
      assertEquals(20 + 8 + payload.length, IpPacket.totalLength(p4));
      byte[] got = new byte[payload.length];
      p4.getBytes(28, got);
      assertArrayEquals(payload, got);

      ByteBuf p6 = Unpooled.wrappedBuffer(v6.get(10, TimeUnit.SECONDS));
      assertEquals(6, IpPacket.version(p6));
      assertEquals(0xfd00009900010000L, IpPacket.ipv6DestinationHigh(p6));
      assertEquals(2L, IpPacket.ipv6DestinationLow(p6));
      assertEquals(1L, IpPacket.ipv6SourceLow(p6));
      p6.getBytes(48, got);
      assertArrayEquals(payload, got);
      reader.join(2000);
    } finally {
      dev.close();
    }
  }

  @Test
  void wakeupAndCloseUnblockABlockedRead() throws Exception {
    TunDevice dev = ns.call(() -> LinuxTun.open(new TunOptions("tttest%d", 1500))); // down: no packets ever
    AtomicReference<Object> outcome = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    Runnable blockedRead = () -> {
      try {
        outcome.set(dev.read(ByteBuffer.allocateDirect(1500)));
      } catch (Throwable e) {
        outcome.set(e);
      }
      done.countDown();
    };
    Thread t1 = new Thread(blockedRead);
    t1.start();
    Thread.sleep(300);
    assertTrue(t1.isAlive(), "read blocks while there is no packet");
    dev.wakeup();
    t1.join(1000);
    assertFalse(t1.isAlive(), "wakeup() returned the reader");
    assertEquals(0, outcome.get(), "woken read returns 0");

    CountDownLatch done2 = new CountDownLatch(1);
    Thread t2 = new Thread(() -> {
      try {
        outcome.set(dev.read(ByteBuffer.allocate(1500))); // heap buffer path too
      } catch (Throwable e) {
        outcome.set(e);
      }
      done2.countDown();
    });
    t2.start();
    Thread.sleep(300);
    assertTrue(t2.isAlive());
    long t0 = System.nanoTime();
    dev.close();
    assertTrue(done2.await(1, TimeUnit.SECONDS), "close() unblocked the read");
    long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(closeMillis < 1000, "took " + closeMillis + " ms");
    assertInstanceOf(TunClosedException.class, outcome.get());
    assertTrue(dev.isClosed());
    assertThrows(TunClosedException.class, () -> dev.read(ByteBuffer.allocateDirect(100)));
    assertThrows(TunClosedException.class, () -> dev.write(ByteBuffer.wrap(new byte[] {0x45})));
    dev.close(); // idempotent
    dev.wakeup(); // harmless
    assertEquals(0, done.getCount());
  }

  @Test
  void tunReaderPauseAndResumeOnTheRealDevice() throws Exception {
    TunDevice dev = open(3, null);
    Context ctx = vertx.getOrCreateContext();
    AtomicInteger udp = new AtomicInteger();
    TunReader reader = TunReader.create(dev, ctx);
    reader.handler(b -> {
      if (IpPacket.isWellFormed(b) && IpPacket.protocol(b) == IpPacket.PROTO_UDP) {
        udp.incrementAndGet();
      }
      b.release();
    }).start();
    DatagramSocket sock = ns.call(DatagramSocket::new);
    try {
      byte[] data = new byte[32];
      DatagramPacket dp = new DatagramPacket(data, data.length, new InetSocketAddress(ip("10.99.3.2"), 9));
      sock.send(dp);
      awaitCount(udp, 1);
      reader.pause();
      for (int i = 0; i < 5; i++) {
        sock.send(dp);
      }
      Thread.sleep(400);
      assertEquals(1, udp.get(), "nothing delivered while paused");
      reader.resume();
      awaitCount(udp, 6);
      reader.close().await(5, TimeUnit.SECONDS);
      assertFalse(dev.isClosed(), "closing the reader leaves the device open");
    } finally {
      sock.close();
      dev.close();
    }
  }

  @Test
  void tunWriterDeliversToASocket() throws Exception {
    TunDevice dev = open(4, null);
    DatagramSocket sock = ns.call(() -> new DatagramSocket(new InetSocketAddress(ip("10.99.4.1"), 7777)));
    TunWriter writer = TunWriter.start(dev);
    try {
      sock.setSoTimeout(5000);
      byte[] payload = "written by TunWriter".getBytes(StandardCharsets.US_ASCII);
      byte[] pkt = Packets.udp4(new byte[] {10, 99, 4, 2}, 5555, new byte[] {10, 99, 4, 1}, 7777, payload);
      ByteBuf b = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(pkt.length).writeBytes(pkt);
      assertTrue(writer.write(b));
      DatagramPacket in = new DatagramPacket(new byte[100], 100);
      sock.receive(in);
      assertEquals("written by TunWriter", new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII));
      assertEquals(new InetSocketAddress(ip("10.99.4.2"), 5555), in.getSocketAddress());
      assertEquals(0, b.refCnt());

      ByteBuf junk = Unpooled.directBuffer(20).writeZero(20); // version nibble 0
      writer.write(junk);
      long deadline = System.currentTimeMillis() + 5000;
      while (writer.failed() == 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(1, writer.failed(), "the kernel refuses a non-IP packet; the writer counts it and goes on");
      TunException e = assertThrows(TunException.class, () -> dev.write(ByteBuffer.allocateDirect(20)));
      assertTrue(e.getMessage().contains("rejected the packet"), e.getMessage());
    } finally {
      writer.close();
      sock.close();
      dev.close();
    }
  }

  @Test
  void busyNameIsExplained() throws Exception {
    TunDevice first = ns.call(() -> LinuxTun.open(new TunOptions("ttbusy0", 1500)));
    try {
      assertEquals("ttbusy0", first.name());
      TunException e = assertThrows(TunException.class,
          () -> ns.call(() -> LinuxTun.open(new TunOptions("ttbusy0", 1500))));
      assertTrue(e.getMessage().contains("already open in another process"), e.getMessage());
      assertTrue(e.getMessage().contains("errno 16"), e.getMessage());
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
          () -> TunAddressing.forOs(TunAddressing.Os.LINUX).configure(first, "10.99.5.0/24", null));
      assertTrue(bad.getMessage().contains("network address"), bad.getMessage());
      TunException exists = assertThrows(TunException.class,
          () -> TunAddressing.forOs(TunAddressing.Os.LINUX).withCommandPrefix(ns.prefix())
              .configure("no-such-dev", IpCidr.parse("10.99.5.1/24"), null, 1500));
      assertTrue(exists.getMessage().contains("ip addr add 10.99.5.1/24 dev no-such-dev"), exists.getMessage());
      assertTrue(exists.getMessage().contains("exit"), exists.getMessage());
    } finally {
      first.close();
    }
  }

  /**
   * The whole Vert.x path: TunReader hands each echo request to an event loop, the handler turns it
   * into the reply in the same pooled buffer and passes it to TunWriter. Then measures rates (printed
   * to the test output): ping flood round trips, a UDP flood read, raw writes and TunWriter writes.
   */
  @Test
  @Timeout(120)
  void pingThroughTunReaderEventLoopAndTunWriterWithRates() throws Exception {
    Assumptions.assumeTrue(Netns.onPath("ping") != null, "ping (iputils-ping) is not installed");
    TunDevice dev = open(2, null);
    assertEquals(0, ns.exec(10, "ip", "link", "set", "dev", dev.name(), "txqueuelen", "5000").exit());
    Context ctx = vertx.getOrCreateContext();
    TunWriter writer = TunWriter.start(dev, 4096);
    AtomicInteger echoed = new AtomicInteger();
    AtomicInteger udp = new AtomicInteger();
    AtomicLong lastUdpNanos = new AtomicLong();
    AtomicInteger offLoop = new AtomicInteger();
    TunReader reader = TunReader.create(dev, ctx);
    reader.handler(b -> {
      if (!Context.isOnEventLoopThread()) {
        offLoop.incrementAndGet();
      }
      if (Packets.toEchoReply(b.nioBuffer(b.readerIndex(), b.readableBytes()))) { // edits the buffer in place
        echoed.incrementAndGet();
        writer.write(b); // ownership passes to the writer
      } else {
        if (IpPacket.isWellFormed(b) && IpPacket.protocol(b) == IpPacket.PROTO_UDP) {
          udp.incrementAndGet();
          lastUdpNanos.set(System.nanoTime());
        }
        b.release();
      }
    }).start();
    try {
      Netns.Result r = ns.exec(20, "ping", "-c", "3", "-i", "0.2", "-W", "1", "10.99.2.2");
      assertEquals(3, received(r.output()), r.output());
      assertEquals(0, offLoop.get(), "handler ran on the event loop");

      int flood = 20000;
      long t0 = System.nanoTime();
      Netns.Result f = ns.exec(60, "ping", "-f", "-l", "64", "-c", Integer.toString(flood), "-q", "10.99.2.2");
      double secs = (System.nanoTime() - t0) / 1e9;
      int got = received(f.output());
      assertTrue(got >= flood * 9 / 10, f.output());
      System.out.printf("RATE ping flood (-l 64): %d/%d echoed in %.2f s = %.0f round trips/s = %.0f packets/s read+written%n",
          got, flood, secs, got / secs, 2 * got / secs);

      // Read rate without a competing sender: queue packets in the kernel while paused, then time the drain.
      int n = 200_000;
      int backlog = 40_000;
      assertEquals(0, ns.exec(10, "ip", "link", "set", "dev", dev.name(), "txqueuelen", "50000").exit());
      byte[] payload = new byte[64];
      reader.pause();
      int sendErrors = 0;
      try (DatagramSocket sock = ns.call(DatagramSocket::new)) {
        DatagramPacket dp = new DatagramPacket(payload, payload.length, new InetSocketAddress(ip("10.99.2.2"), 9));
        for (int i = 0; i < backlog; i++) {
          try {
            sock.send(dp);
          } catch (java.io.IOException e) {
            sendErrors++; // ENOBUFS if the interface queue is full
          }
        }
      }
      Thread.sleep(200);
      int udpBefore = udp.get();
      long u0 = System.nanoTime();
      reader.resume();
      int before;
      do {
        before = udp.get();
        Thread.sleep(300);
      } while (udp.get() != before);
      int drained = udp.get() - udpBefore;
      double useconds = (lastUdpNanos.get() - u0) / 1e9;
      System.out.printf("RATE TunReader drain of a kernel backlog: %d of %d queued (%d send errors) delivered to the event loop"
          + " in %.3f s = %.0f packets/s%n", drained, backlog, sendErrors, useconds, drained / useconds);
      assertTrue(drained >= backlog * 9 / 10, "delivered " + drained + " of " + backlog);

      byte[] pkt = Packets.udp4(new byte[] {10, 99, 2, 2}, 5555, new byte[] {10, 99, 2, 1}, 7777, payload);
      ByteBuffer direct = ByteBuffer.allocateDirect(pkt.length);
      direct.put(pkt).flip();
      long w0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        dev.write(direct.duplicate());
      }
      double wsecs = (System.nanoTime() - w0) / 1e9;
      System.out.printf("RATE raw LinuxTun.write: %d packets in %.2f s = %.0f packets/s%n", n, wsecs, n / wsecs);

      long written0 = writer.written();
      long dropped0 = writer.dropped();
      long q0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        writer.write(io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(pkt.length).writeBytes(pkt));
      }
      while (writer.queued() > 0) {
        Thread.sleep(1);
      }
      double qsecs = (System.nanoTime() - q0) / 1e9;
      long w = writer.written() - written0;
      long d = writer.dropped() - dropped0;
      System.out.printf("RATE TunWriter from one producer: %d written, %d dropped (queue full) in %.2f s = %.0f written/s%n",
          w, d, qsecs, w / qsecs);
      assertEquals(n, w + d);
    } finally {
      reader.close().await(5, TimeUnit.SECONDS);
      writer.close();
      dev.close();
    }
  }

  @Test
  void aPacketLargerThanTheBufferIsReportedNotTruncatedSilently() throws Exception {
    Assumptions.assumeTrue(Netns.onPath("ping") != null, "ping (iputils-ping) is not installed");
    TunDevice dev = open(6, null);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      ByteBuffer small = ByteBuffer.allocateDirect(100);
      try {
        while (true) {
          small.clear();
          dev.read(small); // small packets (IPv6 router solicitations) fit and are skipped
        }
      } catch (Throwable e) {
        outcome.complete(e);
      }
    });
    reader.start();
    Thread pinger = new Thread(() -> {
      try {
        ns.exec(10, "ping", "-c", "1", "-s", "500", "-W", "1", "10.99.6.2");
      } catch (Exception ignored) {
        // only the request matters
      }
    });
    pinger.start();
    try {
      Throwable e = outcome.get(10, TimeUnit.SECONDS);
      assertInstanceOf(TunTruncatedPacketException.class, e);
      assertTrue(e.getMessage().contains("a 528-byte packet") && e.getMessage().contains("100-byte read buffer"),
          e.getMessage());
    } finally {
      dev.close();
      pinger.join(15_000);
    }
  }

  private static void awaitCount(AtomicInteger n, int want) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (n.get() < want) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + want + " packets, got " + n.get());
      }
      Thread.sleep(5);
    }
  }
}
