package io.tt.e2e.tun;

import io.tt.common.tun.Netns;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TUN mode end to end, as a user runs it: the fat jars as processes in two network namespaces joined by a veth
 * pair, TUN devices on both sides, the kernel's ping, UDP and TCP through them, and iperf3. The subclasses run it
 * all over UDP datagrams and over a TCP tunnel stream. Slots are 2 s long, so every test also crosses port jumps.
 * Skips (with the reason) without root, /dev/net/tun, ip or the fat jars.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
abstract class TunModeE2ETest {

  static final int SLOT_SECONDS = 2;
  static final long TRANSFER_BYTES = 100L << 20;

  TunBed bed;
  String skipReason;

  abstract String proto();

  @BeforeAll
  void startBed() throws Exception {
    skipReason = TunBed.skipReason();
    if (skipReason != null) {
      System.err.println(getClass().getSimpleName() + " skipped: " + skipReason);
      return;
    }
    bed = TunBed.start(SLOT_SECONDS, List.of(), "10.1.0.2", proto());
  }

  // A class-level abort in @BeforeAll shows as "0 tests run" in surefire; a per-test assumption shows the reason.
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

  Netns serverNs() {
    return bed.serverNs;
  }

  Netns clientNs() {
    return bed.client(0).ns();
  }

  @Test
  @Order(1)
  void pingIsAnsweredThroughTheTunnel() throws Exception {
    Netns.Result r = clientNs().exec(30, "ping", "-c", "10", "-i", "0.2", "-W", "2", TunBed.SERVER_TUN);
    int received = received(r.output());
    assertTrue(received >= 9, "ping through the tunnel: " + r.output());
    // And the other way: the server side reaches the client's TUN address.
    Netns.Result back = serverNs().exec(30, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.1.0.2");
    assertTrue(received(back.output()) >= 4, "ping from the server side: " + back.output());
  }

  @Test
  @Order(2)
  void udpDatagramsAreEchoedByteForByte() throws Exception {
    int[] sizes = {1, 2, 64, 100, 512, 1000, 1300, 1382, 1382, 700, 1, 1382};
    TunTraffic.UdpEcho echo = TunTraffic.UdpEcho.start(serverNs(), TunBed.SERVER_TUN, 7007);
    try {
      int resends = TunTraffic.udpEchoRoundTrips(clientNs(), TunBed.SERVER_TUN, 7007, sizes);
      assertTrue(resends <= 2, resends + " datagrams needed a resend");
    } finally {
      echo.close();
    }
  }

  @Test
  @Order(3)
  void hundredMebibytesUploadArriveIntact() throws Exception {
    TunTraffic.Transfer t = TunTraffic.tcpTransfer(clientNs(), serverNs(), TunBed.SERVER_TUN, 5001, TRANSFER_BYTES);
    System.out.printf("TUN over %s: 100 MiB client -> server in %d ms (%.0f Mbit/s)%n", proto(), t.millis(),
        t.mbitPerSecond());
    assertEquals(t.sentSha256(), t.receivedSha256(), "SHA-256 of the bytes sent and received");
  }

  @Test
  @Order(4)
  void hundredMebibytesDownloadArriveIntact() throws Exception {
    TunTraffic.Transfer t = TunTraffic.tcpTransfer(serverNs(), clientNs(), "10.1.0.2", 5002, TRANSFER_BYTES);
    System.out.printf("TUN over %s: 100 MiB server -> client in %d ms (%.0f Mbit/s)%n", proto(), t.millis(),
        t.mbitPerSecond());
    assertEquals(t.sentSha256(), t.receivedSha256(), "SHA-256 of the bytes sent and received");
  }

  @Test
  @Order(5)
  void iperf3Tcp() throws Exception {
    Assumptions.assumeTrue(Netns.onPath("iperf3") != null, "iperf3 is not installed");
    JsonObject j = TunTraffic.iperf3(serverNs(), clientNs(), TunBed.SERVER_TUN, 5201, 5);
    double bps = j.getJsonObject("end").getJsonObject("sum_received").getDouble("bits_per_second");
    System.out.printf("TUN over %s: iperf3 TCP %.0f Mbit/s%n", proto(), bps / 1e6);
    assertTrue(bps > 10e6, "iperf3 TCP through the tunnel: " + bps + " bit/s");
  }

  @Test
  @Order(6)
  void iperf3Udp() throws Exception {
    Assumptions.assumeTrue(Netns.onPath("iperf3") != null, "iperf3 is not installed");
    // 1300-byte datagrams fit the default TUN MTU (1410) without fragmentation; 2 MiB socket buffers so iperf3's
    // own receiver does not drop what a stalled moment (GC, JIT) then delivers at once.
    JsonObject j = TunTraffic.iperf3(serverNs(), clientNs(), TunBed.SERVER_TUN, 5202, 5, "-u", "-b", "50M",
        "-l", "1300", "-w", "2M");
    JsonObject sum = j.getJsonObject("end").getJsonObject("sum");
    double lost = sum.getDouble("lost_percent");
    double bps = sum.getDouble("bits_per_second");
    System.out.printf("TUN over %s: iperf3 UDP 50 Mbit/s offered: %.1f Mbit/s, %.2f%% lost%n", proto(), bps / 1e6,
        lost);
    assertTrue(sum.getLong("packets") > 1000, "iperf3 UDP packets: " + sum);
    // A working tunnel loses next to nothing here; a CI machine busy with other builds can starve the two JVMs
    // for a moment, hence the margin. A broken path loses far more (or everything).
    assertTrue(lost < 10.0, "iperf3 UDP loss through the tunnel: " + sum);
  }

  /** Traffic keeps flowing while the server port jumps several times under it. */
  @Test
  @Order(7)
  void trafficFlowsAcrossPortJumps() throws Exception {
    long jumpsBefore = jumpsLogged();
    Netns.Result r = clientNs().exec(40, "ping", "-c", "50", "-i", "0.15", "-W", "2", TunBed.SERVER_TUN);
    int received = received(r.output());
    long jumps = jumpsLogged() - jumpsBefore;
    assertTrue(jumps >= 2, "the schedule should have moved at least twice in 7.5 s of 2 s slots, saw " + jumps);
    assertTrue(received >= 47, "ping across " + jumps + " port jumps: " + r.output());
    assertJumpsFollowed();
  }

  /** How many slot changes the client has logged so far. */
  long jumpsLogged() {
    Matcher m = Pattern.compile("server port \\d+ now").matcher(bed.client(0).process().output());
    long n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Mode-specific evidence that the jumps were followed (or, for a stream, outlived). */
  abstract void assertJumpsFollowed() throws Exception;

  /** A server restart costs a few seconds, then packets flow again (new session or new stream). */
  @Test
  @Order(100)
  void serverRestartIsSurvived() throws Exception {
    bed.restartServer();
    bed.awaitPing(clientNs(), TunBed.SERVER_TUN, Duration.ofSeconds(30));
    Netns.Result r = clientNs().exec(30, "ping", "-c", "5", "-i", "0.2", "-W", "2", TunBed.SERVER_TUN);
    assertTrue(received(r.output()) >= 4, "after the restart: " + r.output());
  }

  static int received(String pingOutput) {
    Matcher m = Pattern.compile("(\\d+) received").matcher(pingOutput);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
