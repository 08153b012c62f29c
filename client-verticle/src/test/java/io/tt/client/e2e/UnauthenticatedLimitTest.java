package io.tt.client.e2e;

import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A flood of connections that never authenticate is capped per source address; real clients still get in. */
@Timeout(60)
class UnauthenticatedLimitTest {

  private static Socket probeFrom(String source, int port) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
    s.setSoTimeout(1000);
    // The start of a request line: the fake site waits for the rest, holding the connection.
    s.getOutputStream().write("GET /".getBytes(StandardCharsets.US_ASCII));
    return s;
  }

  /** Starts the harness with at most 5 unauthenticated connections per address; returns the current port. */
  private static int startWithACapOfFive(TtHarness h) throws Exception {
    h.serverConfig.put("max-unauthenticated-per-ip", 5);
    h.startServer(SlotClock.SYSTEM).startClient(SlotClock.SYSTEM);
    PortSchedule schedule = Schedules.of(h.serverConfig);
    return schedule.portFor(schedule.slotAt(System.currentTimeMillis()));
  }

  /** Five probes from {@code source}, each held by the site: that address's cap is full. */
  private static void fillTheCap(String source, int port, List<Socket> held) throws Exception {
    for (int i = 0; i < 5; i++) {
      Socket s = probeFrom(source, port);
      held.add(s);
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "held by the site");
    }
  }

  @Test
  void perAddressCap() throws Exception {
    Curl.assumeInstalled();
    try (TestOrigin origin = new TestOrigin("127.0.0.1"); TtHarness h = new TtHarness(100, 60, "aes-256-gcm")) {
      int port = startWithACapOfFive(h);
      List<Socket> held = new ArrayList<>();
      try {
        fillTheCap("127.0.0.2", port, held);
        try (Socket sixth = probeFrom("127.0.0.2", port)) {
          assertTrue(closedAtOnce(sixth), "the sixth from that address is closed at once");
        }
        assertEquals(1, h.server.context().stats().limited.sum());

        // Another address (the TT client's, 127.0.0.1) is not affected.
        Curl.Result r = Curl.run(20, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
        assertEquals("hello from 127.0.0.1:" + origin.port(), r.stdout(), r.stderr());
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      // Once the probes are gone their slots are free again.
      long deadline = System.nanoTime() + 5_000_000_000L;
      boolean heldAgain = false;
      while (!heldAgain && System.nanoTime() < deadline) {
        try (Socket again = probeFrom("127.0.0.2", port)) {
          heldAgain = !closedAtOnce(again);
        }
      }
      assertTrue(heldAgain, "slots were released");
    }
  }

  /**
   * A client whose address has its fill of unauthenticated connections (a burst of new tunnels is accepted before
   * any first bytes are read, or probes share its NAT address) still gets its tunnels: they authenticate with
   * their first segment. What does not authenticate from that address is closed without a word, and a silent
   * connection soon after.
   */
  @Test
  void overItsAddressCapAClientStillAuthenticates() throws Exception {
    Curl.assumeInstalled();
    try (TestOrigin origin = new TestOrigin("127.0.0.1"); TtHarness h = new TtHarness(100, 60, "aes-256-gcm")) {
      int port = startWithACapOfFive(h);
      List<Socket> held = new ArrayList<>();
      try {
        fillTheCap("127.0.0.1", port, held);
        // The TT client connects from 127.0.0.1 too.
        for (int i = 0; i < 3; i++) {
          Curl.Result r = Curl.run(20, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
          assertEquals("hello from 127.0.0.1:" + origin.port(), r.stdout(), r.stderr());
        }
        try (Socket probe = probeFrom("127.0.0.1", port)) {
          assertTrue(closedAtOnce(probe), "a probe over the cap is closed at once");
        }
        try (Socket silent = new Socket()) {
          silent.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          silent.setSoTimeout(4000);
          long start = System.nanoTime();
          assertTrue(closedAtOnce(silent), "a silent connection over the cap is closed");
          long tookMillis = (System.nanoTime() - start) / 1_000_000;
          assertTrue(tookMillis < 3000, "closed after the probation (" + tookMillis + " ms), not the 10 s deadline");
        }
        assertEquals(2, h.server.context().stats().limited.sum());
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  /** True if the server closed (FIN or RST) within the socket's timeout; false if it kept the connection open. */
  private static boolean closedAtOnce(Socket s) throws Exception {
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
