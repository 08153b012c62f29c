package io.tt.e2e.tun;

import io.tt.common.tun.Netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TT fat jar run as a process inside a namespace ({@code ip netns exec NS timeout LIMIT java -jar ...}), its
 * output in a log file under target/. The {@code timeout} bounds it even if the test JVM dies; {@link #close}
 * ends it and everything it started.
 */
final class TtProcess implements AutoCloseable {

  /** No test process lives longer than this, whatever happens to the test JVM. */
  static final int HARD_LIMIT_SECONDS = 600;
  private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

  final String label;
  final Path log;
  private final Process process;

  private TtProcess(String label, Path log, Process process) {
    this.label = label;
    this.log = log;
    this.process = process;
  }

  static Path root() {
    return Path.of(System.getProperty("tt.root", ".."));
  }

  static Path serverJar() {
    return root().resolve("server-verticle/target/tt-server-fat.jar");
  }

  static Path clientJar() {
    return root().resolve("client-verticle/target/tt-client-fat.jar");
  }

  /** Null when the fat jars exist, else why the tests cannot run. */
  static String skipReason() {
    for (Path jar : List.of(serverJar(), clientJar())) {
      if (!Files.isRegularFile(jar)) {
        return jar + " is missing (build it: mvn -o -q -DskipTests package)";
      }
    }
    return null;
  }

  static TtProcess start(Netns ns, String label, Path jar, List<String> args) throws IOException {
    Path dir = root().resolve("e2e/target/tun-logs");
    Files.createDirectories(dir);
    Path log = dir.resolve(label + "-" + ns.name + "-" + COUNT.incrementAndGet() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(ns.prefixed("timeout", String.valueOf(HARD_LIMIT_SECONDS), java,
        "-jar", jar.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    p.getOutputStream().close();
    return new TtProcess(label, log, p);
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits until the log has a line matching {@code regex}; returns the match, or fails with the log. */
  Matcher awaitLog(String regex, Duration timeout) throws InterruptedException {
    Pattern p = Pattern.compile(regex);
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Matcher m = p.matcher(output());
      if (m.find()) {
        return m;
      }
      if (!process.isAlive()) {
        throw new AssertionError(label + " exited (" + process.exitValue() + ") before logging /" + regex + "/:\n"
            + output());
      }
      Thread.sleep(100);
    }
    throw new AssertionError(label + " did not log /" + regex + "/ within " + timeout + ":\n" + output());
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
