package io.tt.common.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --tun-ip, --tun-mtu, --tun-proto and --no-port-jump-on-tun-mode as both sides read them. */
class TunConfigTest {

  static JsonObject client(String tunIp) {
    JsonObject j = new JsonObject().put("server", "203.0.113.7").put("key", "k").put("listen", "127.0.0.1:1080");
    return tunIp == null ? j : j.put("tun-ip", tunIp);
  }

  @Test
  void absentWithoutTunIp() {
    assertNull(ClientConfig.fromJson(client(null)).tun());
    assertNull(ServerConfig.fromJson(new JsonObject().put("key", "k")).tun());
  }

  @Test
  void defaults() {
    TunConfig t = ClientConfig.fromJson(client("10.1.0.2/24")).tun();
    assertEquals("10.1.0.2/24", t.cidr());
    assertEquals(1410, t.mtu());
    assertEquals(TunConfig.Proto.UDP, t.proto());
    assertTrue(t.portJump());
  }

  @Test
  void explicitValues() {
    TunConfig t = ServerConfig.fromJson(new JsonObject().put("key", "k").put("tun-ip", "10.1.0.1/16")
        .put("tun-mtu", "1280").put("tun-proto", "tcp").put("no-port-jump-on-tun-mode", true)).tun();
    assertEquals("10.1.0.1/16", t.cidr());
    assertEquals(1280, t.mtu());
    assertEquals(TunConfig.Proto.TCP, t.proto());
    assertFalse(t.portJump());
  }

  @Test
  void badAddressesNameTheKeyAndTheProblem() {
    for (String bad : new String[] {"10.1.0.2", "10.1.0.0/24", "10.1.0.255/24", "300.1.0.2/24", "10.1.0.2/33",
        "fd00::2/64", "host/24", "127.0.0.1/8"}) {
      ConfigException e = assertThrows(ConfigException.class, () -> ClientConfig.fromJson(client(bad)), bad);
      assertTrue(e.getMessage().startsWith("tun-ip: "), e.getMessage());
    }
  }

  @Test
  void mtuAndProtoAreChecked() {
    assertThrows(ConfigException.class, () -> ClientConfig.fromJson(client("10.1.0.2/24").put("tun-mtu", 500)));
    assertThrows(ConfigException.class, () -> ClientConfig.fromJson(client("10.1.0.2/24").put("tun-mtu", 65500)),
        "a UDP datagram cannot carry it");
    assertEquals(65500, ClientConfig.fromJson(client("10.1.0.2/24").put("tun-mtu", 65500).put("tun-proto", "TCP"))
        .tun().mtu());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ClientConfig.fromJson(client("10.1.0.2/24").put("tun-proto", "sctp")));
    assertTrue(e.getMessage().startsWith("tun-proto: "), e.getMessage());
  }
}
