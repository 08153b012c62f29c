package io.tt.e2e.tun;

import io.tt.common.tun.Netns;

import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.SessionKeys;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TUN mode over a TCP tunnel stream, end to end. */
class TunOverTcpE2ETest extends TunModeE2ETest {

  @Override
  String proto() {
    return "TCP";
  }

  /** One stream carried everything so far. */
  @Override
  void assertJumpsFollowed() {
    assertFalse(bed.client(0).process().output().contains("ended; dialling"),
        "the stream should not have dropped:\n" + bed.client(0).process().output());
  }

  /**
   * The stream keeps carrying packets after the server stopped listening on the port it was opened on (it waits,
   * at most one port lifetime, for the schedule to close that port; the server's listening sockets confirm it).
   */
  @Test
  @Order(8)
  void streamOutlivesItsPort() throws Exception {
    Assumptions.assumeTrue(Netns.onPath("ss") != null, "`ss` (iproute2) is not installed");
    Matcher m = bed.client(0).process().awaitLog("TUN: stream to \\S+:(\\d+) is up", Duration.ofSeconds(5));
    int port = Integer.parseInt(m.group(1));
    PortSchedule schedule = new PortSchedule(SessionKeys.portScheduleKey(MasterKey.derive(TunBed.KEY)),
        PortRange.parse(TunBed.PORT_RANGE), SLOT_SECONDS);
    long deadline = System.currentTimeMillis() + (PortSchedule.MAX_LIFETIME + 3) * SLOT_SECONDS * 1000L;
    while (schedule.openPorts(schedule.slotAt(System.currentTimeMillis())).containsKey(port)) {
      assertTrue(System.currentTimeMillis() < deadline, "port " + port + " stays in the schedule");
      Thread.sleep(500);
    }
    Thread.sleep(1000); // the server's port jumper acts just after the slot boundary
    String listening = serverNs().exec(10, "ss", "-Htln", "sport", "= :" + port).output();
    assertTrue(listening.isBlank(), "the server should no longer listen on port " + port + ": " + listening);
    Netns.Result r = clientNs().exec(30, "ping", "-c", "5", "-i", "0.2", "-W", "2", TunBed.SERVER_TUN);
    assertTrue(received(r.output()) >= 4, "through the stream of closed port " + port + ": " + r.output());
    assertJumpsFollowed();
  }
}
