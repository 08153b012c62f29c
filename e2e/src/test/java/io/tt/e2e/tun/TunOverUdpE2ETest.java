package io.tt.e2e.tun;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** TUN mode over UDP datagrams, end to end. */
class TunOverUdpE2ETest extends TunModeE2ETest {

  @Override
  String proto() {
    return "UDP";
  }

  /** The client moved its datagrams to each new slot's port (one session throughout: no reconnect exists). */
  @Override
  void assertJumpsFollowed() {
    Matcher m = Pattern.compile("TUN: datagrams now go to \\S+ port (\\d+)").matcher(bed.client(0).process().output());
    Set<String> ports = new HashSet<>();
    while (m.find()) {
      ports.add(m.group(1));
    }
    assertTrue(ports.size() >= 3, "datagrams went to " + ports.size() + " server ports: " + ports);
    assertTrue(bed.server.output().split("TUN: new udp session", -1).length - 1 == 1,
        "one session served the whole run:\n" + bed.server.output());
  }
}
