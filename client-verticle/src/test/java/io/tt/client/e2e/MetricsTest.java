package io.tt.client.e2e;

import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's /metrics and /health, read by curl-like requests, linted by promtool, and scraped by a real
 * Prometheus whose HTTP API then returns TT's series. The shipped alert rules pass their promtool tests.
 */
@Timeout(120)
class MetricsTest {

  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static boolean installed(String tool) {
    return new File("/usr/bin/" + tool).canExecute();
  }

  static Process run(Path log, String... cmd) throws Exception {
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Test
  void prometheusScrapesTtSeries(@TempDir Path dir) throws Exception {
    Curl.assumeInstalled();
    int metricsPort = TtHarness.freePort();
    try (TestOrigin origin = new TestOrigin("127.0.0.1"); TtHarness h = new TtHarness(100, 60, "aes-256-gcm")) {
      h.serverConfig.put("metrics-listen", "127.0.0.1:" + metricsPort);
      h.startServer(SlotClock.SYSTEM).startClient(SlotClock.SYSTEM);
      String base = "http://127.0.0.1:" + metricsPort;

      HttpResponse<String> health = get(base + "/health");
      assertEquals(200, health.statusCode());
      assertEquals("ok\n", health.body());

      Curl.Result r = Curl.run(20, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
      assertEquals(0, r.exit(), r.stderr());
      PortSchedule schedule = Schedules.of(h.serverConfig);
      int port = schedule.portFor(schedule.slotAt(System.currentTimeMillis()));
      // A probe: the fake site answers, a failure is counted.
      Curl.Result probe = Curl.run(10, "-i", "http://127.0.0.1:" + port + "/");
      assertTrue(probe.stdout().contains("Server: nginx/"), probe.stdout() + probe.stderr());

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String text = get(base + "/metrics").body();
      while (!(text.contains("tt_tunnels_total 1.0") && text.contains("tt_auth_failures_total{reason=\"bad_auth\"} 1.0"))
          && System.nanoTime() < deadline) {
        Thread.sleep(100); // the tunnel's bytes are counted when it closes
        text = get(base + "/metrics").body();
      }
      for (String series : new String[] {"tt_tunnels_total 1.0", "tt_tunnels_open ", "tt_bytes_total{direction=\"to_client\"}",
          "tt_auth_failures_total{reason=\"bad_auth\"} 1.0", "tt_auth_failures_total{reason=\"replay\"} 0.0",
          "tt_open_ports ", "tt_port_jumps_total", "tt_handshake_seconds_bucket", "tt_cluster_members 1.0",
          "vertx_net_server_active_connections", "jvm_memory_used_bytes"}) {
        assertTrue(text.contains(series), "missing " + series + " in\n" + text);
      }
      assertFalse(text.contains(TtHarness.KEY), "no key in metrics");
      assertFalse(text.contains(":" + origin.port()), "no target address in metrics");
      assertFalse(text.contains("\"127.0.0.1\""), "no client or target address as a label value");

      if (installed("promtool")) {
        Path scraped = dir.resolve("metrics.txt");
        Files.writeString(scraped, text);
        Process lint = new ProcessBuilder("bash", "-c", "promtool check metrics < " + scraped)
            .redirectErrorStream(true).start();
        String out = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(lint.waitFor(30, TimeUnit.SECONDS));
        assertFalse(out.lines().anyMatch(l -> l.startsWith("tt_")), "promtool finds fault with TT's metrics:\n" + out);
      }

      Assumptions.assumeTrue(installed("prometheus"), "prometheus is not installed (apt-get install prometheus)");
      int promPort = TtHarness.freePort();
      Path cfg = dir.resolve("prometheus.yml");
      Files.writeString(cfg, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: tt\n    static_configs:\n"
          + "      - targets: ['127.0.0.1:" + metricsPort + "']\n");
      Process prom = run(dir.resolve("prometheus.log"), "prometheus", "--config.file=" + cfg,
          "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort);
      try {
        String query = "http://127.0.0.1:" + promPort + "/api/v1/query?query="
            + URLEncoder.encode("tt_tunnels_total{job=\"tt\"}", StandardCharsets.UTF_8);
        JsonArray result = new JsonArray();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (result.isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(500);
          try {
            HttpResponse<String> resp = get(query);
            if (resp.statusCode() == 200) {
              result = new JsonObject(resp.body()).getJsonObject("data").getJsonArray("result");
            }
          } catch (java.io.IOException notUpYet) {
            // prometheus still starting
          }
        }
        assertFalse(result.isEmpty(), "Prometheus returned no TT series: " + Files.readString(dir.resolve("prometheus.log")));
        assertEquals("1", result.getJsonObject(0).getJsonArray("value").getString(1));
      } finally {
        prom.destroy();
        prom.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void shippedAlertRulesPassTheirTests() throws Exception {
    Assumptions.assumeTrue(installed("promtool"), "promtool is not installed (apt-get install prometheus)");
    Path rules = Path.of("..", "docs", "prometheus").toAbsolutePath().normalize();
    Process p = new ProcessBuilder("promtool", "test", "rules", "tt-alerts.test.yml").directory(rules.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("SUCCESS"), out);
  }
}
