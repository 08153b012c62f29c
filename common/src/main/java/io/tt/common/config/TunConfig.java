package io.tt.common.config;

import io.tt.common.tun.IpCidr;

import java.util.Locale;

/**
 * TUN mode: the device address ({@code 10.1.0.2/24}), MTU, transport of packets, and whether the port jumps.
 * Present in a side's config only when {@code tun-ip} is given.
 */
public record TunConfig(IpCidr address, int mtu, Proto proto, boolean portJump) {

  public enum Proto { UDP, TCP }

  public static final int DEFAULT_MTU = 1410;
  /** Bytes a datagram adds to an IP packet besides padding (PROTOCOL.md section 8): header, body head, tag. */
  public static final int UDP_OVERHEAD = 16 + 11 + 16;
  /** Largest UDP payload over IPv4 (65535 - 20 - 8). */
  static final int MAX_UDP_PAYLOAD = 65507;

  /** The address as written: "10.1.0.2/24". */
  public String cidr() {
    return address.toString();
  }

  static TunConfig from(ConfigValues c) {
    if (!c.has("tun-ip")) {
      return null;
    }
    IpCidr address;
    try {
      address = IpCidr.parse(c.string("tun-ip"), "address");
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("tun-ip", e.getMessage());
    }
    if (address.isIpv6()) {
      throw ConfigException.of("tun-ip", "must be an IPv4 address with prefix length, like 10.1.0.2/24, got '"
          + address + "'");
    }
    String p = c.has("tun-proto") ? c.string("tun-proto").toUpperCase(Locale.ROOT) : "UDP";
    Proto proto;
    try {
      proto = Proto.valueOf(p);
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("tun-proto", "must be UDP or TCP, got '" + p + "'");
    }
    int maxMtu = proto == Proto.UDP ? MAX_UDP_PAYLOAD - UDP_OVERHEAD : 65535;
    int mtu = c.integer("tun-mtu", DEFAULT_MTU, 576, maxMtu);
    return new TunConfig(address, mtu, proto, !c.bool("no-port-jump-on-tun-mode"));
  }
}
