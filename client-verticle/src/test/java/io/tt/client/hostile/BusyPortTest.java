package io.tt.client.hostile;

import io.tt.client.e2e.TtHarness;
import io.tt.common.schedule.SlotClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled port that cannot be bound at its slot's start must not refuse clients for the whole slot. Written as
 * a failing test for PortJumper (a failed bind was retried only at the next slot boundary); passes since main's
 * 426579f retries a busy port every 2 s.
 */
class BusyPortTest {

  /**
   * PortJumper: a scheduled port that is busy when its slot starts (here: the source port of an outgoing
   * connection, as the server's own connections to targets use ephemeral ports inside the default range
   * 1024-65535) fails to bind with EADDRINUSE and is retried only at the next slot, so it refuses every client
   * for up to a whole slot (60 s by default) although it is free again a moment later. Seen for real while running
   * the hostile suite on a machine with 76,000 loopback sockets in TIME_WAIT: 4 to 7 of 11 ports refused.
   */
  @Test
  @Timeout(90)
  void aScheduledPortBusyForAMomentIsBoundSoonAfter() throws Exception {
    TtHarness h = Probe.harness(200, "aes-256-gcm");
    var schedule = Probe.schedule(h);
    // Away from a slot boundary, where the jumper retries anyway.
    while (schedule.slotStartMillis(schedule.slotAt(System.currentTimeMillis()) + 1) - System.currentTimeMillis()
        < 25_000) {
      Thread.sleep(500);
    }
    int port = Probe.currentPort(h);
    try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Socket out = new Socket();
      out.bind(new InetSocketAddress("127.0.0.1", port)); // an outgoing connection from the scheduled port
      out.connect(peer.getLocalSocketAddress());
      Socket in = peer.accept();
      h.startServer(SlotClock.SYSTEM);
      in.close(); // the peer closes first: no TIME_WAIT is left on the scheduled port
      out.close();
    }
    try {
      long deadline = System.currentTimeMillis() + 10_000;
      boolean listening = false;
      while (!listening && System.currentTimeMillis() < deadline) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 500);
          listening = true;
        } catch (java.io.IOException e) {
          Thread.sleep(250);
        }
      }
      assertTrue(listening, "the current slot's port still refuses connections 10 s after it became free");
    } finally {
      h.close();
    }
  }
}
