package io.tt.e2e.tun;

import io.tt.common.tun.Netns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clients on one server, each with its own TUN address, one over UDP and one over TCP: packets for each go to
 * that one, and (with IP forwarding on, as docs/TUN.md says) the clients reach each other through the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TunMultiClientE2ETest {

  TunBed bed;
  String skipReason;

  @BeforeAll
  void startBed() throws Exception {
    skipReason = TunBed.skipReason();
    if (skipReason != null) {
      System.err.println(getClass().getSimpleName() + " skipped: " + skipReason);
      return;
    }
    bed = TunBed.start(2, List.of(), "10.1.0.2", "UDP", "10.1.0.3", "TCP");
  }

  @BeforeEach
  void requireBed() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @AfterAll
  void stopBed() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  /**
   * An echo service on each client's TUN address; the server side talks to both. A packet routed to the wrong
   * client would be dropped by that client's kernel (not its address), so each echo proves the routing.
   */
  @Test
  void eachClientGetsItsOwnPackets() throws Exception {
    TunTraffic.UdpEcho one = TunTraffic.UdpEcho.start(bed.client(0).ns(), "10.1.0.2", 7001);
    TunTraffic.UdpEcho two = TunTraffic.UdpEcho.start(bed.client(1).ns(), "10.1.0.3", 7001);
    try {
      int[] sizes = {10, 500, 1382, 64, 1000};
      for (int round = 0; round < 3; round++) {
        TunTraffic.udpEchoRoundTrips(bed.serverNs, "10.1.0.2", 7001, sizes);
        TunTraffic.udpEchoRoundTrips(bed.serverNs, "10.1.0.3", 7001, sizes);
      }
    } finally {
      one.close();
      two.close();
    }
    assertTrue(TunModeE2ETest.received(bed.serverNs.exec(20, "ping", "-c", "3", "-i", "0.2", "10.1.0.2").output()) >= 2);
    assertTrue(TunModeE2ETest.received(bed.serverNs.exec(20, "ping", "-c", "3", "-i", "0.2", "10.1.0.3").output()) >= 2);
  }

  @Test
  void clientsReachEachOtherThroughTheServersRoutes() throws Exception {
    bed.serverNs.exec(10, "sysctl", "-w", "net.ipv4.ip_forward=1").orFail("sysctl ip_forward");
    Netns.Result r = bed.client(0).ns().exec(30, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.1.0.3");
    assertTrue(TunModeE2ETest.received(r.output()) >= 4, "UDP client pings TCP client via the server: " + r.output());
    TunTraffic.Transfer t = TunTraffic.tcpTransfer(bed.client(1).ns(), bed.client(0).ns(), "10.1.0.2", 5003, 20L << 20);
    assertTrue(t.sentSha256().equals(t.receivedSha256()), "20 MiB from the TCP client to the UDP client");
  }
}
