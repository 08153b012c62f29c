package io.tt.client.e2e;

import io.tt.client.ClientVerticle;
import io.tt.common.schedule.SlotClock;
import io.tt.server.ServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A real TT server and client on loopback, in this JVM, each on its own Vert.x: a random port range (so
 * concurrent runs do not collide), injectable clocks, config as JSON with the same keys as the command line.
 */
public final class TtHarness implements AutoCloseable {

  public static final String KEY = "e2e-test-key";

  private static final java.util.concurrent.atomic.AtomicInteger REGISTRIES = new java.util.concurrent.atomic.AtomicInteger();
  /** Built like the real server's (metrics, cluster) when it starts. */
  public Vertx serverVertx;
  /** Built as `tt client` builds it (TtMain): TT's transport. */
  public final Vertx clientVertx = io.tt.common.net.TtTransport.apply(Vertx.builder())
      .with(new VertxOptions().setPreferNativeTransport(true)).build();
  public final JsonObject serverConfig;
  public final JsonObject clientConfig;
  public final int proxyPort;
  public ServerVerticle server;

  public TtHarness(int rangeSize, int slotSeconds, String method) throws Exception {
    // Below the kernel's ephemeral ports (32768+), so no outgoing connection holds a port the server wants.
    int base = 10000 + ThreadLocalRandom.current().nextInt(22000 - rangeSize);
    String range = base + "-" + (base + rangeSize - 1);
    proxyPort = freePort();
    serverConfig = new JsonObject().put("key", KEY).put("listen", "127.0.0.1").put("port-range", range)
        .put("slot-seconds", slotSeconds).put("methods", "aes-256-gcm,chacha20-poly1305").put("instances", 2)
        .put("handshake-timeout", 3000);
    clientConfig = new JsonObject().put("key", KEY).put("server", "127.0.0.1").put("port-range", range)
        .put("slot-seconds", slotSeconds).put("methods", method).put("listen", "127.0.0.1:" + proxyPort)
        .put("instances", 2);
  }

  public static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public TtHarness startServer(SlotClock clock) throws Exception {
    serverConfig.put(io.tt.server.ServerVertx.REGISTRY_KEY, "tt-test-" + REGISTRIES.incrementAndGet());
    var builder = io.tt.server.ServerVertx.builder(serverConfig, new VertxOptions());
    serverVertx = io.tt.server.ServerVertx.clustered(serverConfig)
        ? builder.buildClustered().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)
        : builder.build();
    server = new ServerVerticle(clock);
    serverVertx.deployVerticle(server, new DeploymentOptions().setConfig(serverConfig))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return this;
  }

  public TtHarness startClient(SlotClock clock) throws Exception {
    clientVertx.deployVerticle(new ClientVerticle(clock), new DeploymentOptions().setConfig(clientConfig))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    return this;
  }

  public TtHarness start() throws Exception {
    return startServer(SlotClock.SYSTEM).startClient(SlotClock.SYSTEM);
  }

  public String socksUrl() {
    return "socks5h://127.0.0.1:" + proxyPort;
  }

  public String httpProxyUrl() {
    return "http://127.0.0.1:" + proxyPort;
  }

  @Override
  public void close() throws Exception {
    clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (serverVertx != null) {
      serverVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
