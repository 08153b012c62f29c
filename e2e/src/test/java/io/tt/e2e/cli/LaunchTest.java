package io.tt.e2e.cli;

import com.sun.net.httpserver.HttpServer;
import io.tt.common.testing.InstalledJdks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands a user types: bin/tt server|client|demo and java -jar ... -conf, as real processes, curl through. */
@Timeout(180)
class LaunchTest {

  static HttpServer origin;
  static String hello;

  @BeforeAll
  static void origin() throws Exception {
    Assumptions.assumeTrue(Files.isRegularFile(Processes.SERVER_JAR) && Files.isRegularFile(Processes.CLIENT_JAR),
        "fat jars not built (run mvn verify from the top directory)");
    Assumptions.assumeTrue(new File("/usr/bin/curl").canExecute(), "curl is not installed");
    origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hello = "hello through TT " + ThreadLocalRandom.current().nextLong();
    origin.createContext("/", ex -> {
      byte[] b = hello.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    // Bulk both ways: /bulk/N serves N bytes of BULK_SEED's stream, /sha256 answers a body with its digest.
    origin.createContext("/bulk/", ex -> {
      int n = Integer.parseInt(ex.getRequestURI().getPath().substring("/bulk/".length()));
      ex.sendResponseHeaders(200, n);
      try (var body = ex.getResponseBody()) {
        body.write(bulk(n));
      }
    });
    origin.createContext("/sha256", ex -> {
      byte[] digest;
      try (var in = ex.getRequestBody()) {
        digest = sha256(in.readAllBytes());
      }
      byte[] hex = java.util.HexFormat.of().formatHex(digest).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, hex.length);
      ex.getResponseBody().write(hex);
      ex.close();
    });
    origin.start();
  }

  private static final long BULK_SEED = 20261202L;

  static byte[] bulk(int n) {
    byte[] b = new byte[n];
    new java.util.Random(BULK_SEED).nextBytes(b);
    return b;
  }

  static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() {
    if (origin != null) {
      origin.stop(0);
    }
  }

  static String originUrl() {
    return "http://127.0.0.1:" + origin.getAddress().getPort() + "/";
  }

  static String range() {
    int base = 10000 + ThreadLocalRandom.current().nextInt(22000); // below the ephemeral ports
    return base + "-" + (base + 99);
  }

  static String curl(String... proxyArgs) throws Exception {
    String[] cmd = new String[proxyArgs.length + 4];
    cmd[0] = "curl";
    cmd[1] = "-sS";
    cmd[2] = "--max-time";
    cmd[3] = "20";
    System.arraycopy(proxyArgs, 0, cmd, 4, proxyArgs.length);
    Processes.Done d = Processes.run(Map.of(), 30, cmd);
    assertEquals(0, d.code(), d.err());
    return d.out();
  }

  @Test
  void binTtServerAndClient(@TempDir Path dir) throws Exception {
    String range = range();
    int proxy = Processes.freePort();
    Map<String, String> env = Map.of("TT_KEY", "e2e-bin-tt-key");
    try (Processes ps = new Processes()) {
      File slog = dir.resolve("server.log").toFile();
      File clog = dir.resolve("client.log").toFile();
      // Verbose on both sides: even the chattiest logs must not show the key or the traffic.
      Process s = ps.start(env, slog, Processes.BIN_TT.toString(), "server", "-v", "-l", "127.0.0.1", "-r", range);
      Processes.awaitLog(slog, "TT server listening", s);
      Process c = ps.start(env, clog, Processes.BIN_TT.toString(), "client", "-v", "-s", "127.0.0.1", "-r", range,
          "-l", "127.0.0.1:" + proxy);
      Processes.awaitListening(proxy, c, clog);
      assertEquals(hello, curl("--socks5-hostname", "127.0.0.1:" + proxy, originUrl()));
      assertEquals(hello, curl("--proxy", "http://127.0.0.1:" + proxy, originUrl()));
      assertTrue(s.isAlive());
      String serverLog = Files.readString(slog.toPath());
      String clientLog = Files.readString(clog.toPath());
      assertTrue(serverLog.matches("(?s).*port \\d+ is open now .*next jump at .*"), serverLog);
      assertTrue(clientLog.matches("(?s).*server port \\d+ now .*next jump at .*"), clientLog);
      assertFalse((serverLog + clientLog).contains("e2e-bin-tt-key"), "the key is never logged");
      assertFalse((serverLog + clientLog).contains(hello), "the traffic is never logged");
      assertTrue(serverLog.contains("tunnel on port"), "verbose logging was on: " + serverLog);
    }
  }

  /**
   * 48 MiB each way through bin/tt with aes-256-gcm, checked byte for byte, multiplexed and one connection per
   * request, with the default ciphers (frame bodies by libgcrypt where it is installed, sealed in native memory) and
   * with the JDK's ({@code -Dtt.crypto=jdk}): on JDK 22+ bin/tt's processes then seal and open bulk frames into heap
   * arrays and send from them (HeapSend), which the verbose log says.
   */
  @ParameterizedTest(name = "--mux {0}, tt.crypto={1}")
  @CsvSource({"4,auto", "0,auto", "4,jdk"})
  void bulkBothWaysWithAesGcmArrivesIntact(String mux, String crypto, @TempDir Path dir) throws Exception {
    String range = range();
    int proxy = Processes.freePort();
    int size = 48 << 20;
    Map<String, String> env = Map.of("TT_KEY", "e2e-bulk-key", "TT_JAVA_OPTS", "-Dtt.crypto=" + crypto);
    try (Processes ps = new Processes()) {
      File slog = dir.resolve("server.log").toFile();
      File clog = dir.resolve("client.log").toFile();
      Process s = ps.start(env, slog, Processes.BIN_TT.toString(), "server", "-v", "-l", "127.0.0.1", "-r", range,
          "-m", "aes-256-gcm");
      Processes.awaitLog(slog, "TT server listening", s);
      Process c = ps.start(env, clog, Processes.BIN_TT.toString(), "client", "-v", "-s", "127.0.0.1", "-r", range,
          "-l", "127.0.0.1:" + proxy, "-m", "aes-256-gcm", "--mux", mux);
      Processes.awaitListening(proxy, c, clog);
      Path down = dir.resolve("down.bin");
      curl("--socks5-hostname", "127.0.0.1:" + proxy, "-o", down.toString(), originUrl() + "bulk/" + size);
      byte[] got = Files.readAllBytes(down);
      assertEquals(size, got.length, "the whole download came");
      assertTrue(java.util.Arrays.equals(sha256(bulk(size)), sha256(got)), "the download is byte for byte the origin's");
      String upDigest = curl("--socks5-hostname", "127.0.0.1:" + proxy, "--data-binary", "@" + down,
          originUrl() + "sha256");
      assertEquals(java.util.HexFormat.of().formatHex(sha256(got)), upDigest.trim(), "the upload arrived intact");
      // Slow readers side by side: sockets fill, so sends go in part or wait behind queued bytes.
      int slow = 8 << 20;
      byte[] slowDigest = sha256(bulk(slow));
      List<Process> readers = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        readers.add(new ProcessBuilder("curl", "-sS", "--max-time", "30", "--limit-rate", "6M", "--socks5-hostname",
            "127.0.0.1:" + proxy, "-o", dir.resolve("slow" + i).toString(), originUrl() + "bulk/" + slow)
            .redirectErrorStream(true).start());
      }
      for (int i = 0; i < readers.size(); i++) {
        assertTrue(readers.get(i).waitFor(40, TimeUnit.SECONDS), "slow download " + i + " finished");
        assertEquals(0, readers.get(i).exitValue(), "slow download " + i);
        assertTrue(java.util.Arrays.equals(slowDigest, sha256(Files.readAllBytes(dir.resolve("slow" + i)))),
            "slow download " + i + " is byte for byte the origin's");
      }
      boolean newJdk = InstalledJdks.newest(22) != null; // bin/tt runs the newest JDK
      boolean jdkGcm = "jdk".equals(crypto) || !io.tt.common.crypto.Aeads.gcryptAvailable(); // the same machine
      for (File log : new File[] {slog, clog}) {
        String text = Files.readString(log.toPath());
        assertTrue(text.contains("frames sent from heap arrays: " + (newJdk ? "on" : "off")), log + ":\n" + text);
        if ("auto".equals(crypto) && !jdkGcm) {
          assertTrue(text.contains("aes-256-gcm by libgcrypt"), "the default seals frame bodies with libgcrypt: "
              + log + ":\n" + text);
        }
        // Logged once, by the first send that went from an array: the relay took the path, not only could. Only
        // the JDK's GCM seals into arrays; native ciphers seal in native memory, which the channel writes as is.
        assertEquals(newJdk && jdkGcm, text.contains("first bytes sent to a socket straight from a heap array"),
            log + ":\n" + text);
      }
    }
  }

  /**
   * TT_AOT=FILE on JDK 25+: the first run records the ahead-of-time cache and the JVM writes FILE as it exits; the
   * next run opens it and serves; a FILE older than the jar is dropped and recorded again.
   */
  @Test
  void aheadOfTimeCacheRecordedThenUsed(@TempDir Path dir) throws Exception {
    Path jdk25 = InstalledJdks.newest(25);
    Assumptions.assumeTrue(jdk25 != null, "no JDK 25 or later under /usr/lib/jvm (TT_AOT needs one)");
    String range = range();
    int proxy = Processes.freePort();
    Path cache = dir.resolve("aot/server.aot");
    Map<String, String> env = Map.of("TT_KEY", "e2e-aot-key", "TT_JAVA", jdk25.toString(), "TT_AOT", cache.toString(),
        "TT_JAVA_OPTS", "-Xlog:aot=info");
    try (Processes ps = new Processes()) {
      File first = dir.resolve("first.log").toFile();
      Process s = ps.start(env, first, Processes.BIN_TT.toString(), "server", "-l", "127.0.0.1", "-r", range);
      Processes.awaitLog(first, "TT server listening", s);
      assertFalse(Files.exists(cache), "written only when the recording process exits");
      s.destroy();
      assertTrue(s.waitFor(120, TimeUnit.SECONDS), "the recording server exits (after assembling the cache)");
      assertTrue(Files.size(cache) > 1_000_000, "cache written: " + Files.readString(first.toPath()));

      File second = dir.resolve("second.log").toFile();
      s = ps.start(env, second, Processes.BIN_TT.toString(), "server", "-l", "127.0.0.1", "-r", range);
      Processes.awaitLog(second, "TT server listening", s);
      String log = Files.readString(second.toPath());
      assertTrue(log.contains("Opened AOT cache " + cache), log);
      assertFalse(log.contains("[error") || log.contains("Unable to map"), log);
      File clog = dir.resolve("client.log").toFile();
      Process c = ps.start(Map.of("TT_KEY", "e2e-aot-key"), clog, Processes.BIN_TT.toString(), "client", "-s",
          "127.0.0.1", "-r", range, "-l", "127.0.0.1:" + proxy);
      Processes.awaitListening(proxy, c, clog);
      assertEquals(hello, curl("--socks5-hostname", "127.0.0.1:" + proxy, originUrl()));
      s.destroy();
      assertTrue(s.waitFor(60, TimeUnit.SECONDS));

      // A jar newer than the cache (TT upgraded): the stale file is dropped, not opened, and recorded anew.
      Files.setLastModifiedTime(cache, java.nio.file.attribute.FileTime.fromMillis(
          Files.getLastModifiedTime(Processes.SERVER_JAR).toMillis() - 3_600_000));
      File third = dir.resolve("third.log").toFile();
      s = ps.start(env, third, Processes.BIN_TT.toString(), "server", "-l", "127.0.0.1", "-r", range);
      Processes.awaitLog(third, "TT server listening", s);
      assertFalse(Files.readString(third.toPath()).contains("Opened AOT cache"));
      assertFalse(Files.exists(cache), "the stale cache was removed before recording");
      s.destroyForcibly();
    }
  }

  @Test
  void fatJarsWithConfFiles(@TempDir Path dir) throws Exception {
    String range = range();
    int proxy = Processes.freePort();
    Path server = dir.resolve("server.json");
    Path client = dir.resolve("client.json");
    Path key = dir.resolve("key");
    Files.writeString(key, "e2e-conf-key\n");
    Files.writeString(server, "{\"key-file\": \"" + key + "\", \"listen\": \"127.0.0.1\", \"port-range\": \"" + range
        + "\", \"methods\": [\"aes-256-gcm\", \"chacha20-poly1305\"]}");
    Files.writeString(client, "{\"key-file\": \"" + key + "\", \"server\": \"127.0.0.1\", \"port-range\": \"" + range
        + "\", \"methods\": \"aes-256-gcm\", \"listen\": \"127.0.0.1:" + proxy + "\"}");
    try (Processes ps = new Processes()) {
      File slog = dir.resolve("server.log").toFile();
      File clog = dir.resolve("client.log").toFile();
      Process s = ps.start(Map.of(), slog, Processes.java(), "-jar", Processes.SERVER_JAR.toString(), "-conf", server.toString());
      Processes.awaitLog(slog, "TT server listening", s);
      Process c = ps.start(Map.of(), clog, Processes.java(), "-jar", Processes.CLIENT_JAR.toString(), "-conf", client.toString());
      Processes.awaitListening(proxy, c, clog);
      assertEquals(hello, curl("-x", "socks5h://127.0.0.1:" + proxy, originUrl()));
    }
  }

  @Test
  void badInvocationsExitWithCodeTwoAndOneLine(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"key\": ");
    String[][] cases = {
        {Processes.BIN_TT.toString(), "server", "--no-such-option"},
        {Processes.BIN_TT.toString(), "client", "-k", "x"},
        {Processes.BIN_TT.toString(), "server", "-k", "x", "-r", "70000-80000"},
        {Processes.java(), "-jar", Processes.SERVER_JAR.toString(), "-conf", bad.toString()},
        {Processes.java(), "-jar", Processes.CLIENT_JAR.toString(), "-conf", bad.toString()},
    };
    for (String[] cmd : cases) {
      Processes.Done d = Processes.run(Map.of(), 30, cmd);
      assertEquals(2, d.code(), String.join(" ", cmd) + ": " + d.err());
      assertEquals(1, d.err().lines().count(), String.join(" ", cmd) + ": " + d.err());
      assertTrue(d.err().contains("error:"), d.err());
    }
    Processes.Done help = Processes.run(Map.of(), 30, Processes.BIN_TT.toString(), "client", "--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--server <server>") && help.out().contains("[default: 127.0.0.1:1080]"), help.out());
  }

  /** The README's first command: `bin/tt demo` runs both sides on embedded defaults and says how to use them. */
  @Test
  void demo(@TempDir Path dir) throws Exception {
    int proxy = Processes.freePort();
    File log = dir.resolve("demo.log").toFile();
    try (Processes ps = new Processes()) {
      Process demo = ps.start(Map.of("TT_DEMO_PROXY", "127.0.0.1:" + proxy, "TT_DEMO_PORT_RANGE", range()), log,
          Processes.BIN_TT.toString(), "demo");
      Processes.awaitListening(proxy, demo, log);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!Files.readString(log.toPath()).contains("curl -x socks5h://127.0.0.1:" + proxy) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(Files.readString(log.toPath()).contains("curl -x socks5h://127.0.0.1:" + proxy), Files.readString(log.toPath()));
      assertEquals(hello, curl("-x", "socks5h://127.0.0.1:" + proxy, originUrl()));
    }
  }
}
