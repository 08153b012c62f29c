package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(10)
class IpCidrTest {

  @Test
  void parsesIpv4() {
    IpCidr c = IpCidr.parse("10.1.0.2/24");
    assertFalse(c.isIpv6());
    assertEquals("10.1.0.2", c.addressString());
    assertEquals(24, c.prefixLength());
    assertEquals("10.1.0.0/24", c.networkString());
    assertEquals("255.255.255.0", c.netmaskString());
    assertEquals("10.1.0.2/24", c.toString());
    assertEquals("255.255.240.0", IpCidr.parse("172.16.5.9/20").netmaskString());
    assertEquals("172.16.0.0/20", IpCidr.parse("172.16.5.9/20").networkString());
    assertEquals("255.255.255.255", IpCidr.parse(" 10.0.0.0/32 ").netmaskString());
    assertEquals("10.0.0.0/31", IpCidr.parse("10.0.0.0/31").toString(), "/31 has no network address");
  }

  @Test
  void parsesIpv6() {
    IpCidr c = IpCidr.parse("fd00:7474::2/64");
    assertTrue(c.isIpv6());
    assertEquals(64, c.prefixLength());
    assertEquals("fd00:7474:0:0:0:0:0:0/64", c.networkString());
    assertThrows(IllegalStateException.class, c::netmaskString);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "10.1.0.2|has no prefix length",
      "10.1.0.2/|is not a number from 1 to 32",
      "10.1.0.2/x|is not a number from 1 to 32",
      "10.1.0.2/33|outside 1..32",
      "10.1.0.2/0|outside 1..32",
      "10.1.0.256/24|is not an IPv4 address",
      "10.1.0/24|is not an IPv4 address",
      "10.01.0.2/24|is not an IPv4 address",
      "10.1.0.2.5/24|is not an IPv4 address",
      "example.com/24|is not an IPv4 address",
      "10.1.0.0/24|is the network address",
      "10.1.0.255/24|is the broadcast address",
      "127.0.0.1/8|is not a unicast address",
      "0.0.0.0/8|is not a unicast address",
      "224.0.0.1/24|is not a unicast address",
      "fd00::2/129|outside 1..128",
      "fd00::zz/64|is not an IPv6 address",
      "fd00::2%eth0/64|is not an IPv6 address",
      "fd00::/64|is the network address",
      "::ffff:10.1.0.2/120|IPv4-mapped",
  })
  void rejectsWithAReason(String input, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpCidr.parse(input, "tun.ipv4"));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
    assertTrue(e.getMessage().startsWith("tun.ipv4"), "names the setting: " + e.getMessage());
  }

  @Test
  void rejectsMissing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpCidr.parse("  "));
    assertTrue(e.getMessage().contains("is missing"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IpCidr.parse(null));
  }
}
