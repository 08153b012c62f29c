package io.tt.e2e.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts what users start (bin/tt, java -jar) as processes, with output captured to files, always killed. */
final class Processes implements AutoCloseable {

  static final Path ROOT = Path.of(System.getProperty("tt.root", "..")).toAbsolutePath().normalize();
  static final Path SERVER_JAR = ROOT.resolve("server-verticle/target/tt-server-fat.jar");
  static final Path CLIENT_JAR = ROOT.resolve("client-verticle/target/tt-client-fat.jar");
  static final Path BIN_TT = ROOT.resolve("bin/tt");

  private final List<Process> started = new ArrayList<>();

  record Done(int code, String out, String err) {
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs to completion (bounded). */
  static Done run(Map<String, String> env, long timeoutSeconds, String... cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("tt-out", ".log");
    Path err = Files.createTempFile("tt-err", ".log");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    return new Done(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Starts a long-running process whose stdout and stderr go to {@code log}. */
  Process start(Map<String, String> env, File log, String... cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(log);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void awaitListening(int port, Process p, File log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("process exited " + p.exitValue() + ": " + Files.readString(log.toPath()));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("nothing listens on " + port + ": " + Files.readString(log.toPath()));
  }

  /** Waits until the process's log shows {@code text} (bounded). */
  static void awaitLog(File log, String text, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log.toPath()).contains(text)) {
      if (!p.isAlive()) {
        throw new AssertionError("process exited " + p.exitValue() + ": " + Files.readString(log.toPath()));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' in " + Files.readString(log.toPath()));
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : started) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }
}
