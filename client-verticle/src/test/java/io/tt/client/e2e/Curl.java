package io.tt.client.e2e;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real curl. Tests that use it skip, with the reason, where curl is not installed. */
public final class Curl {

  public record Result(int exit, String stdout, String stderr) {
  }

  private Curl() {
  }

  public static void assumeInstalled() {
    Assumptions.assumeTrue(onPath("curl"), "curl is not installed (apt-get install curl)");
    Assumptions.assumeTrue(onPath("sha256sum"), "sha256sum is not installed (coreutils)");
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (new java.io.File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }

  /** curl with the given arguments; stdout kept as text (small responses only). */
  public static Result run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("curl");
    cmd.add("-sS");
    cmd.add("--max-time");
    cmd.add(Long.toString(timeoutSeconds));
    cmd.addAll(List.of(args));
    return exec(cmd, timeoutSeconds + 5);
  }

  /** curl piped into sha256sum: returns the hex digest of what curl received, and curl's exit code. */
  public static Result sha256(long timeoutSeconds, String... args) throws IOException, InterruptedException {
    StringBuilder sb = new StringBuilder("set -o pipefail; curl -sS --max-time ").append(timeoutSeconds);
    for (String a : args) {
      sb.append(" '").append(a.replace("'", "'\\''")).append('\'');
    }
    sb.append(" | sha256sum | cut -d' ' -f1");
    return exec(List.of("bash", "-c", sb.toString()), timeoutSeconds + 5);
  }

  private static Result exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).start();
    var out = p.getInputStream();
    var err = p.getErrorStream();
    var outText = new java.util.concurrent.CompletableFuture<String>();
    var errText = new java.util.concurrent.CompletableFuture<String>();
    daemon(() -> read(out, outText));
    daemon(() -> read(err, errText));
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    return new Result(p.exitValue(), outText.join().trim(), errText.join().trim());
  }

  private static void read(java.io.InputStream in, java.util.concurrent.CompletableFuture<String> into) {
    try {
      into.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      into.complete("");
    }
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "curl-io");
    t.setDaemon(true);
    t.start();
  }
}
