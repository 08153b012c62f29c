package io.tt.e2e.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs real tools for the deploy tests: bounded in time, output (stdout and stderr together) kept. */
final class Exec {

  record Result(int exit, String output, List<String> command) {

    Result assertOk() {
      if (exit != 0) {
        fail(String.join(" ", command) + " exited " + exit + ":\n" + tail(output, 6000));
      }
      return this;
    }
  }

  private Exec() {
  }

  static Result run(Duration timeout, Path dir, Map<String, String> env, String... command) {
    return run(timeout, dir, env, Arrays.asList(command));
  }

  static Result run(Duration timeout, Path dir, Map<String, String> env, List<String> command) {
    Path out = null;
    try {
      out = Files.createTempFile("tt-deploy-exec", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (dir != null) {
        pb.directory(dir.toFile());
      }
      if (env != null) {
        pb.environment().putAll(env);
      }
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p, Duration.ofSeconds(10));
        fail(String.join(" ", command) + " did not finish within " + timeout + ":\n"
            + tail(Files.readString(out, StandardCharsets.UTF_8), 6000));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), List.copyOf(command));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temp file
        }
      }
    }
  }

  /** SIGTERM to the process and its descendants, then SIGKILL to whatever is left after {@code grace}. */
  static void kill(Process p, Duration grace) {
    List<ProcessHandle> all = new ArrayList<>();
    p.descendants().forEach(all::add);
    all.add(p.toHandle());
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  /** The absolute path of a program on PATH (or in the sbin directories), or null. */
  static Path which(String program) {
    List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path c = Path.of(d, program);
      if (Files.isRegularFile(c) && Files.isExecutable(c)) {
        return c;
      }
    }
    return null;
  }

  static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  static String tail(String s, int max) {
    return s.length() <= max ? s : "..." + s.substring(s.length() - max);
  }

  /** The repository root: surefire passes tt.root; otherwise the first parent holding k8s/ and ansible/. */
  static Path repoRoot() {
    String prop = System.getProperty("tt.root");
    if (prop != null && Files.isDirectory(Path.of(prop, "k8s"))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("k8s")) && Files.isDirectory(p.resolve("ansible"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root (with k8s/ and ansible/) not found from " + Path.of("").toAbsolutePath());
  }
}
