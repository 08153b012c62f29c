package io.tt.client.e2e;

import io.tt.common.schedule.PortSchedule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's port moves on while tunnels made on it keep running. */
@Timeout(120)
class PortJumpTest {

  static TestOrigin origin;

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

  /** n bytes paced by the origin at 4 MiB/s, so a transfer lasts long enough whatever the tunnel's speed. */
  private static String paced(long n) {
    return "http://127.0.0.1:" + origin.port() + "/paced/" + n;
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

  /**
   * A tunnel is open on port P; the clock moves until P's lifetime is over; the server unbinds P (a new connection
   * to it is refused) and the transfer on the tunnel still completes byte for byte. Proves that Vert.x's
   * NetServer.shutdown unbinds at once and that TT's tunnels ignore the shutdown event.
   */
  @Test
  void anEstablishedTunnelOutlivesItsPort() throws Exception {
    ManualClock clock = new ManualClock(0);
    try (TtHarness h = new TtHarness(2000, 60, "aes-256-gcm")) {
      h.startServer(clock).startClient(clock);
      PortSchedule schedule = Schedules.of(h.serverConfig);
      long n = 24L << 20;
      CompletableFuture<Curl.Result> transfer = CompletableFuture.supplyAsync(() -> {
        try {
          // Paced by the origin (4 MiB/s, about 6 s): still running while the port expires.
          return Curl.sha256(60, "-x", h.socksUrl(), paced(n));
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      waitFor(() -> h.server.context().stats().tunnelsOpen.sum() == 1, "the tunnel");
      int port = schedule.portFor(schedule.slotAt(clock.millis()));
      assertTrue(h.server.context().boundPorts().contains(port));

      // Move time until no slot around "now" wants that port any more, and let the server catch up.
      int moves = 0;
      do {
        clock.advance(schedule.slotMillis());
        assertTrue(++moves < 40, "the port never expired");
      } while (schedule.openPorts(schedule.slotAt(clock.millis())).containsKey(port));
      h.server.context().resyncPorts().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertFalse(h.server.context().boundPorts().contains(port), "the expired port is unbound");
      assertThrows(ConnectException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        }
      }, "nothing listens on the expired port");
      assertTrue(h.server.context().stats().tunnelsOpen.sum() == 1, "the tunnel is still open");

      Curl.Result r = transfer.get(90, TimeUnit.SECONDS);
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(TestOrigin.sha256Of(n), r.stdout());

      // New tunnels use the new port.
      Curl.Result after = Curl.run(20, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
      assertEquals("hello from 127.0.0.1:" + origin.port(), after.stdout(), after.stderr());
    }
  }

  /** With one-second slots the port changes several times during one transfer; the bytes arrive intact. */
  @Test
  void transferAcrossRealTimeJumps() throws Exception {
    try (TtHarness h = new TtHarness(100, 1, "chacha20-poly1305").start()) {
      long jumpsBefore = h.server.context().stats().portJumps.sum();
      long n = 16L << 20;
      // Paced by the origin (4 MiB/s: about 4 s, four 1-second slots); curl's --limit-rate let it through in 1.5 s.
      Curl.Result r = Curl.sha256(60, "--proxy", h.httpProxyUrl(), paced(n));
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(TestOrigin.sha256Of(n), r.stdout());
      long jumps = h.server.context().stats().portJumps.sum() - jumpsBefore;
      assertTrue(jumps >= 3, "expected at least 3 port jumps during the transfer, saw " + jumps);
      // and tunnels opened after the jumps work too
      for (int i = 0; i < 3; i++) {
        Curl.Result hello = Curl.run(20, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
        assertEquals(0, hello.exit(), hello.stderr());
        Thread.sleep(700);
      }
    }
  }
}
