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
 * A network namespace made with {@code ip netns add} for one test class, deleted at the end; shared by common's
 * TUN device tests and the e2e tests (through common's test jar).
 *
 * <p>Commands run in it through {@code ip netns exec}. Devices and sockets are made in it by a fresh thread that
 * enters it with setns(2): on Linux the network namespace is per thread, and a TUN device or a socket belongs to
 * the namespace of the thread that opened it and works from any thread afterwards. So the test drives the real
 * classes in this JVM with ordinary assertions, and the thread never goes back to a pool where other code would
 * run in the wrong namespace.
 */
public final class Netns implements AutoCloseable {

  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;

  interface LibC extends Library {
    LibC C = Native.load(Platform.C_LIBRARY_NAME, LibC.class);

    int setns(int fd, int nstype);

    int open(String path, int flags);

    int close(int fd);

    int geteuid();
  }

  public record Result(int exit, String output) {
    public Result orFail(String what) {
      if (exit != 0) {
        throw new IllegalStateException(what + " failed (exit " + exit + "): " + output.strip());
      }
      return this;
    }
  }

  public final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Null when namespace tests can run here, else why not (for Assumptions). */
  public static String skipReason() {
    if (!Platform.isLinux()) {
      return "TUN namespace tests need Linux (os.name=" + System.getProperty("os.name") + ")";
    }
    if (LibC.C.geteuid() != 0) {
      return "TUN namespace tests need root (ip netns, /dev/net/tun); euid is " + LibC.C.geteuid();
    }
    if (!new File("/dev/net/tun").exists()) {
      return "/dev/net/tun does not exist (modprobe tun, or --device /dev/net/tun in a container)";
    }
    if (onPath("ip") == null) {
      return "`ip` (iproute2) is not installed";
    }
    return null;
  }

  /** The tool's path on PATH (plus /usr/sbin and /sbin), or null. */
  public static String onPath(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin") + ":/usr/sbin:/sbin";
    for (String dir : path.split(":")) {
      File f = new File(dir, tool);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** Creates PREFIX-XXXXXX with its loopback up; throws IllegalStateException saying why when it cannot. */
  public static Netns create(String prefix) throws Exception {
    String name = prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    run(10, List.of("ip", "netns", "add", name)).orFail("ip netns add " + name);
    Netns ns = new Netns(name);
    ns.ip("link", "set", "lo", "up");
    return ns;
  }

  /** Joins two namespaces with a veth pair and addresses both ends ("10.231.0.1/24"). */
  public static void veth(Netns a, String aCidr, Netns b, String bCidr) throws Exception {
    String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    String ea = "va" + tag;
    String eb = "vb" + tag;
    run(10, List.of("ip", "link", "add", ea, "netns", a.name, "type", "veth", "peer", "name", eb, "netns", b.name))
        .orFail("ip link add veth");
    a.ip("addr", "add", aCidr, "dev", ea);
    a.ip("link", "set", ea, "up");
    b.ip("addr", "add", bCidr, "dev", eb);
    b.ip("link", "set", eb, "up");
  }

  public void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    run(10, cmd).orFail(String.join(" ", cmd));
  }

  /** Runs a command inside the namespace. */
  public Result exec(int timeoutSeconds, String... command) throws Exception {
    return run(timeoutSeconds, prefixed(command));
  }

  /** The command, run inside the namespace. */
  public List<String> prefixed(String... command) {
    List<String> full = new ArrayList<>(prefix());
    full.addAll(List.of(command));
    return full;
  }

  /** The prefix that runs a command in here (TunAddressing's command prefix). */
  public List<String> prefix() {
    return List.of("ip", "netns", "exec", name);
  }

  /** Runs {@code task} on a new thread inside this namespace (sockets it makes stay in here). */
  public <T> CompletableFuture<T> async(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        enter();
        result.complete(task.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "netns-" + name);
    t.setDaemon(true);
    t.start();
    return result;
  }

  /** {@link #async} and wait (30 s at most); the task's own exception is thrown as it is. */
  public <T> T call(Callable<T> task) throws Exception {
    try {
      return async(task).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  private void enter() throws IOException {
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
  }

  /** Runs a command (outside any namespace unless it says so), output and errors together. */
  public static Result run(int timeoutSeconds, List<String> command) throws Exception {
    Path out = Files.createTempFile("netns", ".out");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command) + "\n"
            + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      run(10, List.of("ip", "netns", "del", name));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted deleting netns " + name, e);
    } catch (Exception e) {
      throw new IOException("deleting netns " + name + ": " + e, e);
    }
  }
}
