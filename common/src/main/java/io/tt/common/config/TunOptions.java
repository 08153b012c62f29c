package io.tt.common.config;

/**
 * TUN mode: the device address ({@code 10.1.0.2/24}), MTU, transport of packets, and whether the port jumps.
 */
public record TunOptions(String cidr, int mtu, Proto proto, boolean portJump) {

  public enum Proto { UDP, TCP }

  public static final int DEFAULT_MTU = 1410;

  static TunOptions from(ConfigValues c) {
    if (!c.has("tun-ip")) {
      return null;
    }
    String cidr = c.string("tun-ip");
    if (!cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
      throw ConfigException.of("tun-ip", "must be an IPv4 address with prefix length, like 10.1.0.2/24, got '" + cidr + "'");
    }
    int mtu = c.integer("tun-mtu", DEFAULT_MTU, 576, 65535);
    String p = c.has("tun-proto") ? c.string("tun-proto").toUpperCase(java.util.Locale.ROOT) : "UDP";
    Proto proto;
    try {
      proto = Proto.valueOf(p);
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("tun-proto", "must be UDP or TCP, got '" + p + "'");
    }
    return new TunOptions(cidr, mtu, proto, !c.bool("no-port-jump-on-tun-mode"));
  }
}
