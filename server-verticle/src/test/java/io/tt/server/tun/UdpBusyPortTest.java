package io.tt.server.tun;

import io.tt.common.config.ServerConfig;
import io.tt.common.schedule.SlotClock;
import io.tt.common.tun.MemoryTun;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.server.ServerContext;
import io.tt.server.ServerKeys;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scheduled UDP port that is busy when its slot starts (some other socket holds it) is bound as soon as it is
 * free, within the bind retry, not at the next slot a minute later: clients of TUN over UDP keep a port to reach.
 */
@Timeout(60)
class UdpBusyPortTest {

  @Test
  void aBusyPortIsBoundOnceFree() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    DatagramSocket squatter = new DatagramSocket(0, loopback);
    int port = squatter.getLocalPort();
    ServerConfig cfg = ServerConfig.fromJson(new JsonObject().put("key", "busy udp port").put("tun-ip", "10.1.0.1/24")
        .put("listen", "127.0.0.1").put("port-range", port + "-" + port));
    // A clock that stands still in the middle of a slot: no slot boundary comes to rebind the port for it.
    long midSlot = (System.currentTimeMillis() / 60_000) * 60_000 + 30_000;
    SlotClock frozen = () -> midSlot;
    ServerContext ctx = new ServerContext(cfg, ServerKeys.derive(cfg.tunnel()), frozen,
        new LocalReplayFilter(60_000, 1000), (so, bytes) -> so.close());
    Vertx vertx = Vertx.vertx();
    try {
      MemoryTun tun = new MemoryTun(1410);
      TunServerVerticle verticle = new TunServerVerticle(ctx, t -> tun);
      vertx.deployVerticle(verticle).await(20, TimeUnit.SECONDS);
      assertFalse(verticle.udpPorts().contains(port), "the port is busy");

      squatter.close();
      // The retry is every 2 s (SlotPorts.BIND_RETRY_MILLIS); the next slot would be 30 s away on this clock.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!verticle.udpPorts().contains(port) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(verticle.udpPorts().contains(port), "bound within the retry once free, not at the next slot");
    } finally {
      squatter.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
