package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TunAddressingTest {
  private static final IpCidr V4 = IpCidr.parse("10.1.0.2/24");
  private static final IpCidr V6 = IpCidr.parse("fd00:7474::2/64");

  @Test
  void linuxCommands() {
    List<List<String>> cmds = TunAddressing.forOs(TunAddressing.Os.LINUX).commands("tt0", V4, null, 1400);
    assertEquals(List.of(
        List.of("ip", "addr", "add", "10.1.0.2/24", "dev", "tt0"),
        List.of("ip", "link", "set", "dev", "tt0", "mtu", "1400", "up")), cmds);
    cmds = TunAddressing.forOs(TunAddressing.Os.LINUX).commands("tt0", V4, V6, 1400);
    assertEquals(List.of("ip", "-6", "addr", "add", "fd00:7474:0:0:0:0:0:2/64", "dev", "tt0", "nodad"), cmds.get(1));
    assertEquals(3, cmds.size());
  }

  @Test
  void macCommands() {
    List<List<String>> cmds = TunAddressing.forOs(TunAddressing.Os.MACOS).commands("utun5", V4, V6, 1400);
    assertEquals(List.of(
        List.of("ifconfig", "utun5", "inet", "10.1.0.2", "10.1.0.2", "netmask", "255.255.255.0", "mtu", "1400", "up"),
        List.of("route", "-q", "-n", "add", "-inet", "10.1.0.0/24", "-interface", "utun5"),
        List.of("ifconfig", "utun5", "inet6", "fd00:7474:0:0:0:0:0:2", "prefixlen", "64", "alias"),
        List.of("route", "-q", "-n", "add", "-inet6", "fd00:7474:0:0:0:0:0:0/64", "-interface", "utun5")), cmds);
  }

  @Test
  void checksFamiliesAndMtu() {
    TunAddressing a = TunAddressing.forOs(TunAddressing.Os.LINUX);
    assertThrows(IllegalArgumentException.class, () -> a.commands("tt0", V6, null, 1500));
    assertThrows(IllegalArgumentException.class, () -> a.commands("tt0", V4, V4, 1500));
    assertThrows(NullPointerException.class, () -> a.commands("tt0", null, null, 1500));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.commands("tt0", V4, V6, 1000));
    assertTrue(e.getMessage().contains("1280"), e.getMessage());
  }

  @Test
  void failingCommandReportsItsOutput() {
    TunAddressing a = TunAddressing.forOs(TunAddressing.Os.LINUX);
    TunException e = assertThrows(TunException.class,
        () -> a.run(List.of("sh", "-c", "echo 'RTNETLINK answers: Operation not permitted' >&2; exit 2")));
    assertTrue(e.getMessage().contains("exit 2"), e.getMessage());
    assertTrue(e.getMessage().contains("RTNETLINK answers: Operation not permitted"), e.getMessage());
    assertTrue(e.getMessage().contains("needs root or CAP_NET_ADMIN"), e.getMessage());
    assertTrue(e.getMessage().contains("`sh -c"), "names the command: " + e.getMessage());
  }

  @Test
  void missingToolAndTimeout() throws Exception {
    TunAddressing a = TunAddressing.forOs(TunAddressing.Os.LINUX);
    TunException e = assertThrows(TunException.class, () -> a.run(List.of("/nonexistent/ip", "link")));
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    e = assertThrows(TunException.class,
        () -> a.withTimeout(Duration.ofMillis(300)).run(List.of("sleep", "5")));
    assertTrue(e.getMessage().contains("did not finish within 300 ms"), e.getMessage());
    assertEquals("hi\n", a.withCommandPrefix(List.of("env")).run(List.of("echo", "hi")));
  }

  @Test
  void badCidrStringIsRejectedBeforeAnyCommand() {
    TunDevice fake = new MemoryTun("tt9", 1500);
    TunAddressing a = TunAddressing.forOs(TunAddressing.Os.LINUX).withCommandPrefix(List.of("/nonexistent"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.configure(fake, "10.1.0.2", null));
    assertTrue(e.getMessage().contains("TUN IPv4 address '10.1.0.2' has no prefix length"), e.getMessage());
  }
}
