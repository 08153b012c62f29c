package io.tt.client.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.client.ClientVerticle;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ServerHandshake;
import io.tt.server.ServerVerticle;
import io.tt.server.ServerVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real members on 127.0.0.2 and 127.0.0.3, clustered through Hazelcast on 127.0.0.1: a config edit on one
 * moves the ports of both while a tunnel open across the change keeps working, and a first frame replayed to the
 * other member is refused there.
 */
@Timeout(180)
class ClusterTest {

  record Member(Vertx vertx, ServerVerticle server, Path file) {
  }

  static Member start(Path dir, String name, JsonObject file) throws Exception {
    Path f = dir.resolve(name + ".json");
    Files.writeString(f, file.encodePrettily());
    JsonObject config = file.copy()
        .put("config-file", f.toString()).put("config-overrides", new JsonObject())
        .put(ServerVertx.REGISTRY_KEY, "tt-cluster-" + name);
    Vertx vertx = ServerVertx.builder(config, new VertxOptions()).buildClustered()
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    ServerVerticle server = new ServerVerticle();
    vertx.deployVerticle(server, new DeploymentOptions().setConfig(config))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new Member(vertx, server, f);
  }

  static long waitFor(BooleanSupplier cond, long seconds, String what) throws InterruptedException {
    long t0 = System.nanoTime();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(seconds)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(25);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static byte[] exchange(String host, int port, byte[] bytes) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 3000);
      s.setSoTimeout(3000);
      s.getOutputStream().write(bytes);
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      } catch (java.io.IOException timeoutOrReset) {
        // what arrived is what counts
      }
      return out.toByteArray();
    }
  }

  static boolean allIn(java.util.Set<Integer> ports, int lo, int hi) {
    return !ports.isEmpty() && ports.stream().allMatch(p -> p >= lo && p <= hi);
  }

  @Test
  void fleetSharesConfigAndReplayFilter(@TempDir Path dir) throws Exception {
    Curl.assumeInstalled();
    int base = 10000 + ThreadLocalRandom.current().nextInt(20000);
    String range1 = base + "-" + (base + 199);
    int base2 = base + 1000;
    String range2 = base2 + "-" + (base2 + 199);
    String clusterName = "tt-test-" + ThreadLocalRandom.current().nextInt(1_000_000);
    JsonObject common = new JsonObject().put("key", TtHarness.KEY).put("port-range", range1).put("slot-seconds", 60)
        .put("methods", "aes-256-gcm").put("cluster-members", "127.0.0.1").put("cluster-host", "127.0.0.1")
        .put("cluster-name", clusterName).put("instances", 1);
    List<AutoCloseable> closers = new ArrayList<>();
    try (TestOrigin origin = new TestOrigin("127.0.0.1")) {
      Member a = start(dir, "a", common.copy().put("listen", "127.0.0.2"));
      closers.add(() -> a.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      Member b = start(dir, "b", common.copy().put("listen", "127.0.0.3"));
      closers.add(() -> b.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      waitFor(() -> a.server().context().clusterMembers() == 2 && b.server().context().clusterMembers() == 2, 30, "two members");

      // A first frame replayed to the other member is refused there.
      PortSchedule schedule = Schedules.of(common);
      int port = schedule.portFor(schedule.slotAt(System.currentTimeMillis()));
      ClientHandshake hs = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
          Padding.AUTO, 16384, UnpooledByteBufAllocator.DEFAULT);
      ByteBuf hello = hs.hello(ClientRequest.connect(new TargetAddress("127.0.0.1", origin.port()),
          System.currentTimeMillis() / 1000), Unpooled.copiedBuffer("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII));
      byte[] recorded = ByteBufUtil.getBytes(hello);
      byte[] first = exchange("127.0.0.2", port, recorded);
      assertTrue(first.length > 32 && !new String(first, StandardCharsets.ISO_8859_1).startsWith("HTTP/"),
          "member A answers as TT");
      int requests = origin.requests.get();
      String replay = new String(exchange("127.0.0.3", port, recorded), StandardCharsets.ISO_8859_1);
      assertTrue(replay.startsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx/"), "member B refuses the replay: " + replay);
      assertEquals(requests, origin.requests.get());
      assertEquals(1, b.server().context().stats().rejections(ServerHandshake.Rejection.REPLAY));

      // What the cluster-wide check adds to a handshake: 200 fresh tunnels through member B.
      java.util.concurrent.ConcurrentLinkedQueue<Long> checks = new java.util.concurrent.ConcurrentLinkedQueue<>();
      b.server().context().stats().onClusterCheckNanos(checks::add);
      for (int i = 0; i < 250; i++) {
        if (i == 50) {
          checks.clear(); // the first ones warm up the JIT and Hazelcast's connections
        }
        ClientHandshake each = new ClientHandshake(MasterKey.derive(TtHarness.KEY), AeadMethod.AES_256_GCM, port,
            Padding.AUTO, 16384, UnpooledByteBufAllocator.DEFAULT);
        byte[] bytes = ByteBufUtil.getBytes(each.hello(ClientRequest.connect(new TargetAddress("127.0.0.1", origin.port()),
            System.currentTimeMillis() / 1000), Unpooled.copiedBuffer("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", StandardCharsets.US_ASCII)));
        exchange("127.0.0.3", port, bytes);
      }
      long[] sorted = checks.stream().mapToLong(Long::longValue).sorted().toArray();
      assertTrue(sorted.length >= 200, "every handshake was checked with the cluster: " + sorted.length);
      System.out.printf("CLUSTER: replay check per handshake p50 %.3f ms, p99 %.3f ms, max %.3f ms (n=%d)%n",
          sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 99 / 100] / 1e6, sorted[sorted.length - 1] / 1e6, sorted.length);

      // A tunnel through member B, open across a config change made on member A.
      Vertx clientVertx = Vertx.vertx();
      closers.add(() -> clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
      int proxy = TtHarness.freePort();
      clientVertx.deployVerticle(new ClientVerticle(), new DeploymentOptions().setConfig(new JsonObject()
              .put("key", TtHarness.KEY).put("server", "127.0.0.3").put("port-range", range1).put("methods", "aes-256-gcm")
              .put("listen", "127.0.0.1:" + proxy)))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long n = 16L << 20;
      CompletableFuture<Curl.Result> transfer = CompletableFuture.supplyAsync(() -> {
        try {
          // Paced by the origin (4 MiB/s, about 4 s): still running across the config change.
          return Curl.sha256(60, "-x", "socks5h://127.0.0.1:" + proxy,
              "http://127.0.0.1:" + origin.port() + "/paced/" + n);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      waitFor(() -> b.server().context().stats().tunnelsOpen.sum() == 1, 20, "the tunnel through B");

      long versionBefore = b.server().fleetVersion();
      JsonObject edited = new JsonObject(Files.readString(a.file())).put("port-range", range2);
      long t0 = System.nanoTime();
      Files.writeString(a.file(), edited.encodePrettily());
      waitFor(() -> allIn(a.server().context().boundPorts(), base2, base2 + 199)
          && allIn(b.server().context().boundPorts(), base2, base2 + 199), 30, "both members on the new range");
      long reachedAll = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("CLUSTER: a config edit reached every member in " + reachedAll + " ms");
      assertTrue(b.server().fleetVersion() > versionBefore);

      Curl.Result r = transfer.get(90, TimeUnit.SECONDS);
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(TestOrigin.sha256Of(n), r.stdout(), "the tunnel open across the change kept working");

      assertTrue(b.server().context().keys().schedules().get(0).range().start() == base2);

      // A third member joins with the old range in its file: it takes the fleet's config and says so.
      java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.logging.Logger fleetLog = java.util.logging.Logger.getLogger("io.tt.server.fleet.FleetSync");
      java.util.logging.Handler capture = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord r) {
          if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
            warnings.add(r.getMessage());
          }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
      };
      fleetLog.addHandler(capture);
      try {
        Member c = start(dir, "c", common.copy().put("listen", "127.0.0.4"));
        closers.add(() -> c.vertx().close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        waitFor(() -> allIn(c.server().context().boundPorts(), base2, base2 + 199), 30, "the new member on the fleet's range");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("differs from the fleet's in port-range")
            && w.contains("following the fleet")), "the new member says its file disagrees: " + warnings);
        assertTrue(warnings.stream().noneMatch(w -> w.contains(TtHarness.KEY)), "no key in the log");
      } finally {
        fleetLog.removeHandler(capture);
      }
    } finally {
      for (int i = closers.size() - 1; i >= 0; i--) {
        closers.get(i).close();
      }
    }
  }
}
