package io.tt.client.e2e;

import io.tt.common.schedule.PortSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proxied connections as streams of shared TT connections (PROTOCOL.md section 5.3): many streams on few
 * connections, bytes intact; one stream whose application does not read stops only itself; a port jump moves new
 * streams to a new connection while old ones finish on the old; the server's stream cap; and --mux 0.
 */
@Timeout(180)
class MuxTest {

  static TestOrigin origin;
  /** Time stands still (mid-slot): no port jump while a test counts connections. */
  static final long FROZEN_AT = System.currentTimeMillis() / 60_000 * 60_000 + 30_000;
  static final io.tt.common.schedule.SlotClock FROZEN = () -> FROZEN_AT;

  @BeforeAll
  static void start() throws Exception {
    Curl.assumeInstalled();
    origin = new TestOrigin("127.0.0.1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (origin != null) {
      origin.close();
    }
  }

  private static String url(long n) {
    return "http://127.0.0.1:" + origin.port() + "/bytes/" + n;
  }

  private static void waitFor(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  private static CompletableFuture<Curl.Result> curlAsync(String... args) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return Curl.sha256(120, args);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  /** 100 sequential requests and 24 parallel ones: all intact, over a handful of TT connections. */
  @Test
  void manyStreamsShareFewConnections() throws Exception {
    try (TtHarness h = new TtHarness(200, 60, "chacha20-poly1305")) {
      // A frozen clock: a slot change in the middle would rightly move new streams to a new connection.
      h.startServer(FROZEN).startClient(FROZEN);
      var stats = h.server.context().stats();
      for (int i = 0; i < 100; i++) {
        Curl.Result r = Curl.run(20, "-s", "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
        assertEquals("hello from 127.0.0.1:" + origin.port(), r.stdout(), r.stderr());
      }
      // One connection per client event loop at most (two here), however many requests went through.
      assertTrue(stats.muxConnectionsOpened.sum() <= 2, "connections: " + stats.muxConnectionsOpened.sum());
      assertEquals(100, stats.tunnelsOpened.sum());

      // Paced by the origin (2 s each), so all 24 are open at once: SOCKS5 and HTTP CONNECT, both streams.
      long n = 8L << 20;
      String expected = TestOrigin.sha256Of(n);
      String paced = "http://127.0.0.1:" + origin.port() + "/paced/" + n;
      List<CompletableFuture<Curl.Result>> all = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        all.add(i % 2 == 0 ? curlAsync("-x", h.socksUrl(), paced) : curlAsync("-p", "--proxy", h.httpProxyUrl(), paced));
      }
      for (CompletableFuture<Curl.Result> f : all) {
        Curl.Result r = f.get(120, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(expected, r.stdout());
      }
      // 24 streams at once, at most 4 to a connection (the default): at least 6 connections, and not one each.
      long opened = stats.muxConnectionsOpened.sum();
      assertTrue(opened >= 6 && opened <= 2 + 24 / 2, "connections: " + opened);
      waitFor(() -> stats.tunnelsOpen.sum() == 0, "every stream to end");
    }
  }

  /**
   * An application that stops reading a 1 GiB download holds back only its own stream: another stream on the same
   * TT connection (one event loop, one connection) moves 32 MiB meanwhile; the first then reads on, intact.
   */
  @Test
  void aStalledStreamStopsOnlyItself() throws Exception {
    try (TtHarness h = new TtHarness(200, 60, "aes-256-gcm")) {
      h.clientConfig.put("instances", 1);
      h.startServer(FROZEN).startClient(FROZEN); // no slot change midway
      var stats = h.server.context().stats();
      long big = 1L << 30;
      try (Socket stalled = socks5(h.proxyPort)) {
        OutputStream out = stalled.getOutputStream();
        out.write(("GET /bytes/" + big + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        waitFor(() -> stats.tunnelsOpen.sum() == 1, "the first stream");
        Thread.sleep(1000); // the window fills, the stream stops

        long n = 32L << 20;
        Curl.Result r = Curl.sha256(60, "-x", h.socksUrl(), url(n));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(TestOrigin.sha256Of(n), r.stdout());
        assertEquals(1, stats.muxConnectionsOpened.sum(), "both streams shared one connection");

        // The stalled download resumes and is intact (headers, then exactly the origin's bytes).
        InputStream in = stalled.getInputStream();
        skipHead(in);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 16];
        long got = 0;
        while (got < big) {
          int k = in.read(buf, 0, (int) Math.min(buf.length, big - got));
          if (k < 0) {
            break;
          }
          sha.update(buf, 0, k);
          got += k;
        }
        assertEquals(big, got);
        assertEquals(TestOrigin.sha256Of(big), HexFormat.of().formatHex(sha.digest()));
      }
    }
  }

  /**
   * A stream open on the connection of slot S keeps running after the clock moves past S; the next request goes
   * over a new connection (to the new slot's port); the old connection closes when its last stream ends.
   */
  @Test
  void aPortJumpMovesNewStreamsToANewConnection() throws Exception {
    // Time moves only when the test says (a real minute boundary in the middle would retire the new connection too).
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(FROZEN_AT);
    io.tt.common.schedule.SlotClock clock = now::get;
    try (TtHarness h = new TtHarness(2000, 60, "chacha20-poly1305")) {
      h.clientConfig.put("instances", 1);
      h.startServer(clock).startClient(clock);
      var stats = h.server.context().stats();
      PortSchedule schedule = Schedules.of(h.serverConfig);
      long n = 24L << 20;
      CompletableFuture<Curl.Result> transfer = curlAsync("-x", h.socksUrl(),
          "http://127.0.0.1:" + origin.port() + "/paced/" + n);
      waitFor(() -> stats.tunnelsOpen.sum() == 1, "the first stream");
      assertEquals(1, stats.muxConnectionsOpened.sum());
      long slot = schedule.slotAt(clock.millis());
      // Next slot, with another port (the client retires its connection on its next sweep, within a second).
      do {
        now.addAndGet(60_000);
      } while (schedule.portFor(schedule.slotAt(clock.millis())) == schedule.portFor(slot));
      h.server.context().resyncPorts().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      Thread.sleep(1500);

      Curl.Result r = Curl.run(20, "-s", "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
      assertEquals("hello from 127.0.0.1:" + origin.port(), r.stdout(), r.stderr());
      assertEquals(2, stats.muxConnectionsOpened.sum(), "the new slot's stream went over a new connection");

      Curl.Result old = transfer.get(60, TimeUnit.SECONDS);
      assertEquals(0, old.exit(), old.stderr());
      assertEquals(TestOrigin.sha256Of(n), old.stdout());
      // The retired connection closes with its last stream; the new one stays (idle, within mux-idle).
      waitFor(() -> stats.muxConnectionsOpen.sum() == 1, "the old connection to close");
    }
  }

  /**
   * A protocol whose server speaks first (SMTP, FTP, MySQL): the SOCKS5 stream opens with no bytes from the
   * application, and the target's banner reaches it within a moment.
   */
  @Test
  void aServerThatSpeaksFirstIsHeard() throws Exception {
    try (java.net.ServerSocket banner = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
         TtHarness h = new TtHarness(200, 60, "chacha20-poly1305")) {
      h.start();
      Thread t = new Thread(() -> {
        try (Socket s = banner.accept()) {
          s.getOutputStream().write("220 smtp.example ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
          s.getInputStream().read(); // until the client goes
        } catch (Exception e) {
          // test over
        }
      });
      t.setDaemon(true);
      t.start();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", h.proxyPort), 5000);
        s.setSoTimeout(5000);
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(new byte[] {5, 1, 0});
        int port = banner.getLocalPort();
        out.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port});
        out.flush();
        assertEquals(2 + 10, in.readNBytes(12).length);
        long t0 = System.nanoTime();
        byte[] line = in.readNBytes(24);
        assertEquals("220 smtp.example ESMTP\r\n", new String(line, StandardCharsets.US_ASCII));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "the banner took long");
      }
    }
  }

  /** Over the server's cap of streams per connection an OPEN is refused: the HTTP proxy says 403. */
  @Test
  void streamsOverTheServersCapAreRefused() throws Exception {
    try (TtHarness h = new TtHarness(200, 60, "chacha20-poly1305")) {
      h.serverConfig.put("mux-streams", 1);
      h.clientConfig.put("instances", 1);
      h.startServer(FROZEN).startClient(FROZEN); // both streams on one connection: no slot change midway
      try (Socket held = socks5(h.proxyPort)) {
        waitFor(() -> h.server.context().stats().tunnelsOpen.sum() == 1, "the first stream");
        Curl.Result r = Curl.run(20, "-s", "-p", "--proxy", h.httpProxyUrl(), "-o", "/dev/null",
            "-w", "%{http_connect}", "http://127.0.0.1:" + origin.port() + "/hello");
        assertEquals("403", r.stdout(), r.stderr());
      }
    }
  }

  /** With --mux 0 every proxied connection has a TT connection of its own, as before mux. */
  @Test
  void muxOffOpensATtConnectionPerProxiedConnection() throws Exception {
    try (TtHarness h = new TtHarness(200, 60, "aes-256-gcm")) {
      h.clientConfig.put("mux", 0);
      h.start();
      for (int i = 0; i < 5; i++) {
        Curl.Result r = Curl.run(20, "-s", "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
        assertEquals("hello from 127.0.0.1:" + origin.port(), r.stdout(), r.stderr());
      }
      assertEquals(0, h.server.context().stats().muxConnectionsOpened.sum());
      assertEquals(5, h.server.context().stats().tunnelsOpened.sum());
    }
  }

  /** A SOCKS5 CONNECT to the origin through the proxy (the reply read, nothing else). */
  private static Socket socks5(int proxyPort) throws Exception {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", proxyPort), 5000);
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    InputStream in = s.getInputStream();
    out.write(new byte[] {5, 1, 0});
    out.flush();
    assertEquals(5, in.read());
    assertEquals(0, in.read());
    int port = origin.port();
    out.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port});
    out.flush();
    byte[] reply = in.readNBytes(10);
    assertEquals(10, reply.length);
    assertEquals(0, reply[1], "SOCKS5 reply code");
    return s;
  }

  private static void skipHead(InputStream in) throws Exception {
    int state = 0;
    while (state < 4) {
      int c = in.read();
      if (c < 0) {
        throw new AssertionError("no response head");
      }
      state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
    }
  }
}
