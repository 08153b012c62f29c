package io.tt.common.tun;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Gives a TUN device its addresses and MTU and brings it up, with the OS's own tools:
 *
 * <pre>
 * Linux:  ip addr add 10.1.0.2/24 dev tt0
 *         ip -6 addr add fd00::2/64 dev tt0 nodad        (optional)
 *         ip link set dev tt0 mtu 1500 up
 * macOS:  ifconfig utun5 inet 10.1.0.2 10.1.0.2 netmask 255.255.255.0 mtu 1500 up
 *         route -q -n add -inet 10.1.0.0/24 -interface utun5
 *         ifconfig utun5 inet6 fd00::2 prefixlen 64 alias   (optional)
 *         route -q -n add -inet6 fd00::/64 -interface utun5
 * </pre>
 *
 * (utun is point-to-point: the kernel adds no subnet route for it, hence the explicit route.)
 * These block for a few milliseconds each: call from a worker, never from an event loop. A failing
 * command becomes a {@link TunException} naming the command and carrying its output.
 *
 * <p>A command prefix runs the tools elsewhere, e.g. {@code ip netns exec NS} for a device
 * created inside network namespace NS.
 */
public final class TunAddressing {
  public enum Os {
    LINUX,
    MACOS
  }

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_OUTPUT = 4096;

  private final Os os;
  private final List<String> prefix;
  private final Duration timeout;

  private TunAddressing(Os os, List<String> prefix, Duration timeout) {
    this.os = Objects.requireNonNull(os);
    this.prefix = List.copyOf(prefix);
    this.timeout = Objects.requireNonNull(timeout);
  }

  /** For the running OS. */
  public static TunAddressing forThisOs() throws UnsupportedTunException {
    return forOs(TunDevices.kindFor(System.getProperty("os.name", "")) == TunDevices.Kind.LINUX_TUN ? Os.LINUX : Os.MACOS);
  }

  public static TunAddressing forOs(Os os) {
    return new TunAddressing(os, List.of(), DEFAULT_TIMEOUT);
  }

  /** Runs every command behind {@code commandPrefix} (e.g. {@code ip netns exec NS}). */
  public TunAddressing withCommandPrefix(List<String> commandPrefix) {
    return new TunAddressing(os, commandPrefix, timeout);
  }

  public TunAddressing withTimeout(Duration perCommand) {
    return new TunAddressing(os, prefix, perCommand);
  }

  /**
   * Parses the CIDRs (IPv4 required, IPv6 may be null) and configures {@code device} with them and
   * its MTU.
   */
  public void configure(TunDevice device, String ipv4Cidr, String ipv6Cidr) throws TunException {
    IpCidr v4 = IpCidr.parse(ipv4Cidr, "TUN IPv4 address");
    IpCidr v6 = ipv6Cidr == null || ipv6Cidr.isBlank() ? null : IpCidr.parse(ipv6Cidr, "TUN IPv6 address");
    configure(device.name(), v4, v6, device.mtu());
  }

  public void configure(String device, IpCidr ipv4, IpCidr ipv6, int mtu) throws TunException {
    for (List<String> cmd : commands(device, ipv4, ipv6, mtu)) {
      run(cmd);
    }
  }

  /** The commands {@link #configure} runs, without the prefix (pure; for tests and dry runs). */
  public List<List<String>> commands(String device, IpCidr ipv4, IpCidr ipv6, int mtu) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(ipv4, "an IPv4 address is required for TUN mode");
    if (ipv4.isIpv6()) {
      throw new IllegalArgumentException("TUN IPv4 address '" + ipv4 + "' is an IPv6 address");
    }
    if (ipv6 != null && !ipv6.isIpv6()) {
      throw new IllegalArgumentException("TUN IPv6 address '" + ipv6 + "' is an IPv4 address");
    }
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("TUN mtu must be between 576 and 65535, got " + mtu);
    }
    if (ipv6 != null && mtu < 1280) {
      throw new IllegalArgumentException("IPv6 needs an MTU of at least 1280, got " + mtu);
    }
    String m = Integer.toString(mtu);
    List<List<String>> out = new ArrayList<>();
    if (os == Os.LINUX) {
      out.add(List.of("ip", "addr", "add", ipv4.toString(), "dev", device));
      if (ipv6 != null) {
        out.add(List.of("ip", "-6", "addr", "add", ipv6.toString(), "dev", device, "nodad"));
      }
      out.add(List.of("ip", "link", "set", "dev", device, "mtu", m, "up"));
    } else {
      String a = ipv4.addressString();
      out.add(List.of("ifconfig", device, "inet", a, a, "netmask", ipv4.netmaskString(), "mtu", m, "up"));
      out.add(List.of("route", "-q", "-n", "add", "-inet", ipv4.networkString(), "-interface", device));
      if (ipv6 != null) {
        out.add(List.of("ifconfig", device, "inet6", ipv6.addressString(), "prefixlen",
            Integer.toString(ipv6.prefixLength()), "alias"));
        out.add(List.of("route", "-q", "-n", "add", "-inet6", ipv6.networkString(), "-interface", device));
      }
    }
    return out;
  }

  /** Runs one command (behind the prefix); returns its output, or throws with the output. */
  public String run(List<String> command) throws TunException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(command);
    String shown = String.join(" ", full);
    Path out;
    try {
      out = Files.createTempFile("tt-tun-cmd", ".out");
    } catch (IOException e) {
      throw new TunException("cannot run `" + shown + "`: no temporary file for its output: " + e.getMessage(), e);
    }
    try {
      Process p;
      try {
        // Output goes to a file, not a pipe, so a hung command cannot block us past the timeout.
        p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        p.getOutputStream().close(); // no input
      } catch (IOException e) {
        String tool = full.get(0);
        String hint = tool.equals("ip") ? " (install iproute2)" : "";
        throw new TunException("cannot run `" + shown + "`: " + tool + " not found or not executable" + hint
            + ": " + e.getMessage(), e);
      }
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new TunException("`" + shown + "` did not finish within " + timeout.toMillis() + " ms");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new TunException("interrupted while running `" + shown + "`", e);
      }
      String output = readCapped(out);
      int code = p.exitValue();
      if (code != 0) {
        String why = output.isBlank() ? "no output" : output.strip();
        throw new TunException("`" + shown + "` failed (exit " + code + "): " + why + permissionHint(why));
      }
      return output;
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException ignored) {
        // a leftover temp file is harmless
      }
    }
  }

  private static String permissionHint(String output) {
    String o = output.toLowerCase(java.util.Locale.ROOT);
    return o.contains("operation not permitted") || o.contains("permission denied")
        ? " (configuring interfaces needs root or CAP_NET_ADMIN)" : "";
  }

  /** The command's merged output, at most MAX_OUTPUT bytes of it. */
  private static String readCapped(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }
}
