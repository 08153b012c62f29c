package io.tt.common.schedule;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortScheduleTest {

  private final PortSchedule schedule = new PortSchedule(new byte[32], new PortRange(20000, 20099), 60);

  @Test
  void portsAndLifetimesStayInRange() {
    Map<Integer, Integer> lifetimes = new HashMap<>();
    for (long s = 1000; s < 3000; s++) {
      PortSchedule.Entry e = schedule.entry(s);
      assertTrue(e.port() >= 20000 && e.port() <= 20099);
      assertTrue(e.lifetime() >= 1 && e.lifetime() <= 15);
      lifetimes.merge(e.lifetime(), 1, Integer::sum);
    }
    assertEquals(15, lifetimes.size(), "every lifetime 1..15 occurs");
  }

  /** A client one slot ahead, on time, or one slot behind always dials a port the server has open. */
  @Test
  void neighbouringSlotsAreAlwaysOpen() {
    for (long now = 5000; now < 6000; now++) {
      TreeMap<Integer, Long> open = schedule.openPorts(now);
      for (long client = now - 1; client <= now + 1; client++) {
        assertTrue(open.containsKey(schedule.portFor(client)), "slot " + client + " at server slot " + now);
      }
    }
  }

  /** Each port is bound exactly from slot s-1 to slot s+lifetime, then unbound unless another slot wants it. */
  @Test
  void portsCloseWhenTheirLifetimeEnds() {
    long s = 7777;
    PortSchedule.Entry e = schedule.entry(s);
    assertTrue(schedule.openPorts(e.openUntil()).containsKey(e.port()));
    boolean otherSlotWantsIt = false;
    for (long t = e.openUntil() + 1 - 15; t <= e.openUntil() + 2; t++) {
      PortSchedule.Entry o = schedule.entry(t);
      if (t != s && o.port() == e.port() && o.openFrom() <= e.openUntil() + 1 && e.openUntil() + 1 <= o.openUntil()) {
        otherSlotWantsIt = true;
      }
    }
    assertEquals(!otherSlotWantsIt, !schedule.openPorts(e.openUntil() + 1).containsKey(e.port()));
  }

  @Test
  void rangeParsing() {
    assertEquals(new PortRange(1024, 65535), PortRange.parse("1024-65535"));
    assertEquals(new PortRange(80, 80), PortRange.parse("80"));
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("9-1"));
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("0-10"));
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("1-70000"));
    assertThrows(IllegalArgumentException.class, () -> PortRange.parse("a-b"));
  }

  @Test
  void slotArithmetic() {
    assertEquals(0, schedule.slotAt(59_999));
    assertEquals(1, schedule.slotAt(60_000));
    assertEquals(-1, schedule.slotAt(-1));
    assertEquals(120_000, schedule.slotStartMillis(2));
  }
}
