package io.tt.common.tun;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway network namespace for TUN tests.
 *
 * <p>Why setns(2) on a dedicated thread rather than {@code ip netns exec NS java ...}: the device,
 * TunReader, TunWriter and the test's sockets then all live in this JVM, so the test drives the
 * real classes directly with ordinary assertions and timeouts, no second classpath or process
 * protocol. On Linux the network namespace is per thread, and a TUN device (like a socket) belongs
 * to the namespace of the thread that opened {@code /dev/net/tun}; afterwards its fd works from
 * any thread. So a fresh thread enters the namespace, opens what it must, and dies; it never goes
 * back to a pool where other code would run in the wrong namespace. Commands (ip, ping) run
 * through {@code ip netns exec NS}.
 */
final class Netns implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;

  interface LibC extends Library {
    LibC C = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    int setns(int fd, int nstype);

    int open(String path, int flags);

    int close(int fd);

    int geteuid();
  }

  record Result(int exit, String output) {}

  final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Null when TUN tests can run here, else why not (used with Assumptions). */
  static String skipReason() {
    if (!Platform.isLinux()) {
      return "TUN namespace tests need Linux (os.name=" + System.getProperty("os.name") + ")";
    }
    if (LibC.C.geteuid() != 0) {
      return "TUN namespace tests need root (ip netns add, /dev/net/tun); euid is " + LibC.C.geteuid();
    }
    if (!new File("/dev/net/tun").exists()) {
      return "/dev/net/tun does not exist (modprobe tun, or --device /dev/net/tun in a container)";
    }
    if (findOnPath("ip") == null) {
      return "`ip` (iproute2) is not installed";
    }
    return null;
  }

  static String findOnPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      File f = new File(dir, tool);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** Creates tt-tun-test-XXXX; returns null (with the reason in {@code why[0]}) if that fails. */
  static Netns create(String[] why) throws Exception {
    String name = "tt-tun-test-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    Result r = run(10, List.of("ip", "netns", "add", name));
    if (r.exit != 0) {
      why[0] = "`ip netns add " + name + "` failed: " + r.output.strip();
      return null;
    }
    return new Netns(name);
  }

  /** Runs {@code task} on a new thread that has entered this namespace. */
  <T> T call(Callable<T> task) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        String path = "/run/netns/" + name;
        int fd = LibC.C.open(path, O_RDONLY_CLOEXEC);
        if (fd < 0) {
          throw new IOException("open " + path + ": errno " + Native.getLastError());
        }
        try {
          if (LibC.C.setns(fd, CLONE_NEWNET) != 0) {
            throw new IOException("setns(" + path + "): errno " + Native.getLastError());
          }
        } finally {
          LibC.C.close(fd);
        }
        result.complete(task.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "netns-" + name);
    t.start();
    try {
      return result.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  /** Runs a command inside the namespace. */
  Result exec(int timeoutSeconds, String... command) throws Exception {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
    full.addAll(List.of(command));
    return run(timeoutSeconds, full);
  }

  /** The prefix that makes TunAddressing run its commands in here. */
  List<String> prefix() {
    return List.of("ip", "netns", "exec", name);
  }

  static Result run(int timeoutSeconds, List<String> command) throws Exception {
    Path out = Files.createTempFile("netns", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      Result r = run(10, List.of("ip", "netns", "del", name));
      if (r.exit() != 0) {
        throw new IOException("`ip netns del " + name + "` failed: " + r.output().strip());
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("deleting netns " + name + ": " + e, e);
    }
  }
}
