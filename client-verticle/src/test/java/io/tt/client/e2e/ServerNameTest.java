package io.tt.client.e2e;

import io.tt.client.ClientVerticle;
import io.tt.server.ServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several servers behind one name: the client uses every address the name resolves to, spreads tunnels over them
 * (balance-rr) or keeps to the first (active-backup), and when one goes down every new tunnel still succeeds,
 * at the cost of at most one failed connect.
 */
@Timeout(120)
class ServerNameTest {

  static final Path HOSTS = Path.of("/etc/hosts");

  @ParameterizedTest
  @ValueSource(strings = {"balance-rr", "active-backup"})
  void oneNameTwoServers(String balance) throws Exception {
    Curl.assumeInstalled();
    Assumptions.assumeTrue(Files.isWritable(HOSTS), "needs root to give a test name two addresses in /etc/hosts");
    String name = "tt-fleet-" + ThreadLocalRandom.current().nextInt(1_000_000) + ".test";
    String original = Files.readString(HOSTS);
    Files.writeString(HOSTS, original + "\n127.0.0.2 " + name + "\n127.0.0.3 " + name + "\n");
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    Vertx clients = Vertx.vertx();
    try (TestOrigin origin = new TestOrigin("127.0.0.1")) {
      int base = 10000 + ThreadLocalRandom.current().nextInt(20000);
      JsonObject server = new JsonObject().put("key", TtHarness.KEY).put("port-range", base + "-" + (base + 199))
          .put("methods", "aes-256-gcm").put("instances", 1);
      ServerVerticle sa = new ServerVerticle();
      ServerVerticle sb = new ServerVerticle();
      a.deployVerticle(sa, new DeploymentOptions().setConfig(server.copy().put("listen", "127.0.0.2")))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      b.deployVerticle(sb, new DeploymentOptions().setConfig(server.copy().put("listen", "127.0.0.3")))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      int proxy = TtHarness.freePort();
      clients.deployVerticle(new ClientVerticle(), new DeploymentOptions().setConfig(new JsonObject()
              .put("key", TtHarness.KEY).put("server", name).put("port-range", base + "-" + (base + 199))
              .put("methods", "aes-256-gcm").put("listen", "127.0.0.1:" + proxy).put("balance", balance)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      String url = "http://127.0.0.1:" + origin.port() + "/hello";
      for (int i = 0; i < 10; i++) {
        assertEquals(0, Curl.run(10, "-x", "socks5h://127.0.0.1:" + proxy, url).exit());
      }
      long onA = sa.context().stats().tunnelsOpened.sum();
      long onB = sb.context().stats().tunnelsOpened.sum();
      if (balance.equals("balance-rr")) {
        assertEquals(5, onA, "round robin over both addresses of the name");
        assertEquals(5, onB);
      } else {
        assertEquals(10, onA + onB);
        assertTrue(onA == 10 || onB == 10, "active-backup keeps to one server: " + onA + "/" + onB);
      }

      // One member goes down: every new tunnel still gets through.
      boolean aWasActive = onA > 0;
      (aWasActive ? a : b).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      ServerVerticle survivor = aWasActive ? sb : sa;
      long before = survivor.context().stats().tunnelsOpened.sum();
      for (int i = 0; i < 10; i++) {
        Curl.Result r = Curl.run(10, "-x", "socks5h://127.0.0.1:" + proxy, url);
        assertEquals(0, r.exit(), "tunnel " + i + " after the failure: " + r.stderr());
      }
      assertEquals(10, survivor.context().stats().tunnelsOpened.sum() - before);
    } finally {
      Files.writeString(HOSTS, original);
      for (Vertx v : new Vertx[] {clients, a, b}) {
        v.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
