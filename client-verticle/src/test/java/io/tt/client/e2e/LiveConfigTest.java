package io.tt.client.e2e;

import io.tt.client.ClientVerticle;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A single server re-reads its config file live: a key rotation takes effect without a restart, and the old key is
 * accepted for the overlap the config names, then refused.
 */
@Timeout(120)
class LiveConfigTest {

  static int startClient(Vertx vertx, String key, String range) throws Exception {
    int proxy = TtHarness.freePort();
    vertx.deployVerticle(new ClientVerticle(), new DeploymentOptions().setConfig(new JsonObject()
            .put("key", key).put("server", "127.0.0.1").put("port-range", range).put("methods", "aes-256-gcm")
            .put("listen", "127.0.0.1:" + proxy)))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return proxy;
  }

  static Curl.Result hello(int proxy, TestOrigin origin) throws Exception {
    return Curl.run(10, "-x", "socks5h://127.0.0.1:" + proxy, "http://127.0.0.1:" + origin.port() + "/hello");
  }

  @Test
  void keyRotationWithOverlap(@TempDir Path dir) throws Exception {
    Curl.assumeInstalled();
    try (TestOrigin origin = new TestOrigin("127.0.0.1"); TtHarness h = new TtHarness(300, 60, "aes-256-gcm")) {
      Path file = dir.resolve("server.json");
      JsonObject fileJson = new JsonObject().put("key", "old-key-1").put("listen", "127.0.0.1")
          .put("port-range", h.serverConfig.getString("port-range")).put("methods", "aes-256-gcm")
          .put("key-rotation-overlap", 4);
      Files.writeString(file, fileJson.encode());
      h.serverConfig.clear();
      h.serverConfig.mergeIn(fileJson).put("config-file", file.toString()).put("config-overrides", new JsonObject());
      h.startServer(SlotClock.SYSTEM);
      String range = fileJson.getString("port-range");
      Vertx clients = Vertx.vertx();
      try {
        int oldClient = startClient(clients, "old-key-1", range);
        int newClient = startClient(clients, "new-key-2", range);
        assertEquals(0, hello(oldClient, origin).exit());
        assertNotEquals(0, hello(newClient, origin).exit(), "the new key is not known yet");

        long version = h.server.fleetVersion();
        Files.writeString(file, fileJson.copy().put("key", new JsonArray().add("new-key-2")).encode());
        long t0 = System.nanoTime();
        while (h.server.fleetVersion() == version) {
          assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "the edit was not applied");
          Thread.sleep(50);
        }
        Thread.sleep(300); // ports resync on every event loop
        assertEquals(0, hello(newClient, origin).exit(), "the new key works without a restart");
        assertEquals(0, hello(oldClient, origin).exit(), "the old key still works during the overlap");

        Thread.sleep(5000); // the 4 s overlap ends
        Curl.Result late = hello(oldClient, origin);
        assertNotEquals(0, late.exit(), "the old key is refused after the overlap: " + late.stdout());
        assertEquals(0, hello(newClient, origin).exit());
      } finally {
        clients.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
