package io.tt.e2e.deploy;

import io.tt.common.config.OptionSpec;
import io.tt.common.config.Options;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tt_server role applied for real: into a Debian bookworm chroot (debootstrap minbase + systemd + python3,
 * built once into a cache directory) through the community.general.chroot connection, twice (the second run
 * changes nothing), then the chroot booted with systemd-nspawn on a private network: tt.service is active, runs
 * as the tt user without capabilities, listens on the port the journal says is open now, that port answers
 * (TT's fake site), /health answers 200 "ok", every listening port is in the configured range, and nftables holds
 * the range rule. Then the
 * role runs against the booted system (community.docker.nsenter connection into the container): a third run changes
 * nothing, a fourth with another slot-seconds changes server.json and its handler restarts tt, which comes back.
 *
 * <p>Needs root, debootstrap, systemd-nspawn, unshare, nsenter, ss, curl, ansible-playbook (with
 * community.general and community.docker) and a reachable Debian mirror (TT_DEBIAN_MIRROR, default http://deb.debian.org/debian);
 * skips with the reason otherwise. The cache lives in TT_CHROOT_CACHE (default /var/tmp/tt-chroot-cache).
 */
class AnsibleChrootTest {

  private static final Path ROOT = Exec.repoRoot();
  private static final Path ANSIBLE = ROOT.resolve("ansible");
  private static final Path JAR = ROOT.resolve("server-verticle/target/tt-server-fat.jar");
  private static final String MIRROR = System.getenv().getOrDefault("TT_DEBIAN_MIRROR", "http://deb.debian.org/debian");
  private static final Path CACHE = Path.of(System.getenv().getOrDefault("TT_CHROOT_CACHE", "/var/tmp/tt-chroot-cache"));
  private static final String BASE = "bookworm-minbase-systemd-python3";
  private static final String KEY = "deploy-test key, not a secret";
  private static final int FROM = 20000;
  private static final int TO = 20019;
  private static final Pattern RECAP = Pattern.compile(
      "tt-chroot\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");
  private static final Pattern OPEN_NOW = Pattern.compile("port (\\d+) is open now");

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void roleAppliedTwiceIntoAChrootIsIdempotentAndTheBootedSystemRunsTt() throws Exception {
    checkPrerequisites();
    Path base;
    Files.createDirectories(CACHE);
    // One builder of the cache at a time (two test runs on one machine would otherwise race on it).
    try (FileChannel lock = FileChannel.open(CACHE.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock held = lock.lock()) {
      base = baseSystem();
    }
    cleanStaleWorkDirs();
    Path work = Files.createTempDirectory(Path.of("/var/tmp"), "tt-deploy-chroot-");
    Process nspawn = null;
    try {
      long t0 = System.nanoTime();
      Exec.run(Duration.ofMinutes(3), null, null, "cp", "-a", base + "/.", work.toString()).assertOk();
      // createTempDirectory made it 0700: as the container's / that would lock every non-root user (tt) out.
      Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      Path resolv = work.resolve("etc/resolv.conf");
      Files.deleteIfExists(resolv);
      Files.copy(Path.of("/etc/resolv.conf"), resolv, StandardCopyOption.REPLACE_EXISTING);
      Path inventory = work.resolveSibling(work.getFileName() + ".inventory.yml");
      Files.writeString(inventory, Files.readString(ROOT.resolve("e2e/src/test/resources/deploy/chroot-inventory.yml"))
          .replace("@ROOT@", work.toString()).replace("@JAR@", JAR.toString()));
      log("chroot copied in %d ms", ms(t0));

      t0 = System.nanoTime();
      int[] first = applyRole(work, inventory, Duration.ofMinutes(8));
      log("first run: ok=%d changed=%d in %d ms", first[0], first[1], ms(t0));
      assertTrue(first[1] > 0, "the first run installs things");
      t0 = System.nanoTime();
      int[] second = applyRole(work, inventory, Duration.ofMinutes(4));
      log("second run: ok=%d changed=%d in %d ms", second[0], second[1], ms(t0));
      assertEquals(0, second[1], "the second run changes nothing (idempotent)");
      checkFiles(work);

      t0 = System.nanoTime();
      nspawn = new ProcessBuilder("systemd-nspawn", "--register=no", "--keep-unit", "--private-network",
          "--console=read-only", "-D", work.toString(), "-b")
          .redirectErrorStream(true).redirectOutput(work.resolveSibling(work.getFileName() + ".boot.log").toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      long leader = leaderOf(nspawn);
      checkBootedSystem(leader, nspawn, work);
      log("booted, tt checked in %d ms", ms(t0));

      // The same role on the running system (nsenter connection into the container): the live branches (start,
      // handlers) run now, and still nothing changes.
      Path live = work.resolveSibling(work.getFileName() + ".live.yml");
      Files.writeString(live, Files.readString(inventory).replace("ansible_connection: community.general.chroot",
          "ansible_connection: community.docker.nsenter\n          ansible_become: false\n          ansible_nsenter_pid: " + leader));
      t0 = System.nanoTime();
      Exec.Result third = runPlaybook(List.of("ansible-playbook", "-i", live.toString(), "site.yml"), Duration.ofMinutes(4));
      int[] r3 = recap(third);
      log("third run, on the booted system: ok=%d changed=%d in %d ms", r3[0], r3[1], ms(t0));
      assertEquals(0, r3[1], "the booted system is what the chroot runs left: nothing to change\n" + Exec.tail(third.output(), 4000));

      // A config change restarts tt through the handler, and the server comes back on the new config.
      String pidBefore = mainPid(leader);
      t0 = System.nanoTime();
      Exec.Result fourth = runPlaybook(List.of("ansible-playbook", "-i", live.toString(), "site.yml", "-e",
          "{\"tt_server_slot_seconds\": 7}"), Duration.ofMinutes(4));
      int[] r4 = recap(fourth);
      log("fourth run, slot-seconds 5 -> 7: ok=%d changed=%d in %d ms", r4[0], r4[1], ms(t0));
      assertEquals(2, r4[1], "two changes: server.json and the handler's restart\n" + Exec.tail(fourth.output(), 4000));
      assertTrue(fourth.output().contains("RUNNING HANDLER [tt_server : Restart tt]"), fourth.output());
      assertEquals(7, new JsonObject(Files.readString(work.resolve("etc/tt/server.json"))).getInteger("slot-seconds"));
      waitForTt(leader, nspawn, work, pidBefore);
      log("restarted by the handler (MainPID %s -> %s) in %d ms", pidBefore, mainPid(leader), ms(t0));
    } finally {
      if (nspawn != null) {
        stop(nspawn);
      }
      // --one-file-system: never follow a mount that might be left inside the chroot.
      Exec.run(Duration.ofMinutes(2), null, null, "rm", "-rf", "--one-file-system", work.toString(),
          work + ".inventory.yml", work + ".live.yml", work + ".boot.log");
    }
  }

  // ---------------------------------------------------------------- the chroot

  private static void checkPrerequisites() throws IOException {
    assumeTrue(Exec.isRoot(), "needs root (debootstrap, chroot, systemd-nspawn)");
    for (String tool : List.of("debootstrap", "systemd-nspawn", "unshare", "nsenter", "ss", "curl", "ansible-playbook",
        "ansible-doc", "cp", "rm")) {
      assumeTrue(Exec.which(tool) != null, tool + " is not installed (apt-get install debootstrap systemd-container "
          + "ansible iproute2 curl)");
    }
    assumeTrue(Files.isRegularFile(JAR), JAR + " is not built: run `mvn -q -DskipTests package` first");
    Exec.Result conn = Exec.run(Duration.ofMinutes(1), null, AnsibleRoleTest.ansibleEnv(), "ansible-doc", "-t",
        "connection", "community.general.chroot");
    assumeTrue(conn.exit() == 0, "the community.general collection (chroot connection) is not installed");
    Exec.Result nsenterConn = Exec.run(Duration.ofMinutes(1), null, AnsibleRoleTest.ansibleEnv(), "ansible-doc", "-t",
        "connection", "community.docker.nsenter");
    assumeTrue(nsenterConn.exit() == 0, "the community.docker collection (nsenter connection) is not installed");
    Exec.Result ns = Exec.run(Duration.ofSeconds(20), null, null, "unshare", "--mount", "--propagation", "private", "true");
    assumeTrue(ns.exit() == 0, "cannot make a mount namespace here: " + ns.output().strip());
    String release = MIRROR + "/dists/bookworm/Release";
    try {
      HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(15)).build()
          .send(HttpRequest.newBuilder(URI.create(release)).timeout(Duration.ofSeconds(20))
              .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
      assumeTrue(r.statusCode() == 200, "the Debian mirror answers " + r.statusCode() + " for " + release);
    } catch (IOException | InterruptedException e) {
      assumeTrue(false, "the Debian mirror is not reachable (" + release + ": " + e + "); set TT_DEBIAN_MIRROR");
    }
  }

  /** The cached bookworm base system; debootstrap builds it the first time (about a minute). */
  private static Path baseSystem() throws IOException {
    Path base = CACHE.resolve(BASE);
    Path done = CACHE.resolve(BASE + ".complete");
    if (Files.isRegularFile(done) && Files.isRegularFile(base.resolve("usr/bin/python3"))
        && Files.exists(base.resolve("sbin/init"), LinkOption.NOFOLLOW_LINKS)) {
      log("reusing the base system in %s", base);
      return base;
    }
    Files.createDirectories(CACHE);
    Path building = Files.createTempDirectory(CACHE, BASE + ".building-");
    Files.setPosixFilePermissions(building, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    long t0 = System.nanoTime();
    Exec.Result r = Exec.run(Duration.ofMinutes(10), null, null, "debootstrap", "--variant=minbase",
        "--include=systemd,systemd-sysv,python3", "bookworm", building.toString(), MIRROR);
    if (r.exit() != 0) {
      Exec.run(Duration.ofMinutes(2), null, null, "rm", "-rf", "--one-file-system", building.toString());
      String out = r.output();
      boolean network = out.contains("Failed getting release file") || out.contains("Couldn't download")
          || out.contains("Could not resolve") || out.contains("Temporary failure");
      assumeTrue(!network, "debootstrap cannot reach the Debian mirror " + MIRROR + ":\n" + Exec.tail(out, 1500));
      fail("debootstrap failed:\n" + Exec.tail(out, 4000));
    }
    // Apt lists and packages are fetched again by each test run; keep the cache small.
    Exec.run(Duration.ofMinutes(1), null, null, "rm", "-rf", building + "/var/cache/apt/archives",
        building + "/var/lib/apt/lists").assertOk();
    Files.createDirectories(building.resolve("var/cache/apt/archives/partial"));
    Files.createDirectories(building.resolve("var/lib/apt/lists/partial"));
    Exec.run(Duration.ofMinutes(2), null, null, "rm", "-rf", "--one-file-system", base.toString(), done.toString());
    Files.move(building, base, StandardCopyOption.ATOMIC_MOVE);
    Files.writeString(done, "debootstrap --variant=minbase --include=systemd,systemd-sysv,python3 bookworm " + MIRROR
        + "\n" + Instant.now() + "\n");
    log("debootstrap built %s in %d ms", base, ms(t0));
    return base;
  }

  private static void cleanStaleWorkDirs() throws IOException {
    try (var s = Files.list(Path.of("/var/tmp"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("tt-deploy-chroot-")).toList()) {
        FileTime mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        if (mtime.toInstant().isBefore(Instant.now().minus(Duration.ofHours(3)))) {
          Exec.run(Duration.ofMinutes(2), null, null, "rm", "-rf", "--one-file-system", p.toString());
        }
      }
    }
  }

  /**
   * ansible-playbook site.yml on the chroot, inside a private mount namespace that gives the chroot /proc, /dev and
   * /sys (the JRE's post-install runs Java); the mounts end with the namespace.
   *
   * @return ok and changed of the play recap
   */
  private static int[] applyRole(Path work, Path inventory, Duration timeout) {
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "sh", "-ec",
        "mount -t proc proc \"$0/proc\"; mount --rbind /dev \"$0/dev\"; mount -t sysfs sysfs \"$0/sys\"; exec \"$@\"",
        work.toString(), "ansible-playbook", "-i", inventory.toString(), "site.yml"));
    return recap(runPlaybook(cmd, timeout));
  }

  private static Exec.Result runPlaybook(List<String> cmd, Duration timeout) {
    Exec.Result r = Exec.run(timeout, ANSIBLE, AnsibleRoleTest.ansibleEnv(), cmd);
    if (r.exit() != 0) {
      fail("ansible-playbook exited " + r.exit() + ":\n" + Exec.tail(r.output(), 8000));
    }
    return r;
  }

  /** ok and changed of the play recap; unreachable and failed must be 0. */
  private static int[] recap(Exec.Result r) {
    Matcher m = RECAP.matcher(r.output());
    if (!m.find()) {
      fail("no play recap:\n" + Exec.tail(r.output(), 8000));
    }
    assertEquals("0", m.group(3), "unreachable");
    assertEquals("0", m.group(4), "failed");
    return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
  }

  private static void checkFiles(Path work) throws IOException {
    int ttUid = -1;
    for (String line : Files.readAllLines(work.resolve("etc/passwd"))) {
      String[] f = line.split(":");
      if (f[0].equals("tt")) {
        ttUid = Integer.parseInt(f[2]);
        assertEquals("/usr/sbin/nologin", f[6], "tt has no login shell");
        assertTrue(ttUid < 1000, "tt is a system user");
      }
    }
    assertTrue(ttUid > 0, "user tt exists");
    Path key = work.resolve("etc/tt/key");
    assertEquals(KEY + "\n", Files.readString(key), "the key file holds the vault key");
    assertEquals(0100600, (int) Files.getAttribute(key, "unix:mode", LinkOption.NOFOLLOW_LINKS), "key file mode 0600");
    assertEquals(ttUid, (int) Files.getAttribute(key, "unix:uid", LinkOption.NOFOLLOW_LINKS), "key file owned by tt");
    Path conf = work.resolve("etc/tt/server.json");
    assertEquals(0100640, (int) Files.getAttribute(conf, "unix:mode", LinkOption.NOFOLLOW_LINKS));
    JsonObject json = new JsonObject(Files.readString(conf));
    Set<String> known = Options.SERVER.stream().map(OptionSpec::longName).collect(Collectors.toSet());
    assertTrue(known.containsAll(json.fieldNames()), "server.json keys " + json.fieldNames());
    assertEquals(FROM + "-" + TO, json.getString("port-range"));
    assertEquals("/etc/tt/key", json.getString("key-file"));
    assertTrue(Files.isRegularFile(work.resolve("opt/tt/lib/tt-server-fat.jar")));
    assertEquals(Files.size(JAR), Files.size(work.resolve("opt/tt/lib/tt-server-fat.jar")));
    assertTrue(Files.exists(work.resolve("usr/bin/java")), "the JRE is installed");
    assertTrue(Files.isSymbolicLink(work.resolve("etc/systemd/system/multi-user.target.wants/tt.service")), "tt enabled");
    String nft = Files.readString(work.resolve("etc/nftables.d/tt.nft"));
    assertTrue(nft.contains("tcp dport " + FROM + "-" + TO + " accept"), nft);
    assertTrue(Files.readString(work.resolve("etc/nftables.conf")).contains("include \"/etc/nftables.d/*.nft\""));
  }

  // ---------------------------------------------------------------- the booted container

  /** The container's init: the first child of systemd-nspawn. */
  private static long leaderOf(Process nspawn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var child = nspawn.children().findFirst();
      if (child.isPresent()) {
        return child.get().pid();
      }
      if (!nspawn.isAlive()) {
        fail("systemd-nspawn exited " + nspawn.exitValue() + " before starting the container");
      }
      Thread.sleep(200);
    }
    fail("systemd-nspawn started no container within 30 s");
    return -1;
  }

  private static Exec.Result inContainer(long leader, String... cmd) {
    List<String> c = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(leader), "-a"));
    c.addAll(List.of(cmd));
    return Exec.run(Duration.ofSeconds(30), null, null, c);
  }

  /** A host tool run in the container's network namespace only (minbase has no ss or curl). */
  private static Exec.Result inContainerNet(long leader, String... cmd) {
    List<String> c = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(leader), "-n"));
    c.addAll(List.of(cmd));
    return Exec.run(Duration.ofSeconds(30), null, null, c);
  }

  private static String mainPid(long leader) {
    return inContainer(leader, "systemctl", "show", "-p", "MainPID", "--value", "tt.service").output().strip();
  }

  /**
   * Waits (up to 120 s) until tt.service is active (with a MainPID other than {@code notPid}), its journal names the
   * port open now and ss shows that port listening; checks the listening ports against the range.
   *
   * @return the port open now
   */
  private static int waitForTt(long leader, Process nspawn, Path work, String notPid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String state = "";
    Integer port = null;
    Set<Integer> listening = Set.of();
    String journal = "";
    while (System.nanoTime() < deadline) {
      if (!nspawn.isAlive()) {
        fail("the container stopped: " + Exec.tail(Files.readString(work.resolveSibling(work.getFileName() + ".boot.log")), 3000));
      }
      state = inContainer(leader, "systemctl", "is-active", "tt.service").output().strip();
      String pid = mainPid(leader);
      // This run of the server only: its journal lines since its start.
      journal = inContainer(leader, "journalctl", "-b", "-u", "tt.service", "--no-pager", "-o", "cat",
          "_PID=" + pid).output();
      Matcher m = OPEN_NOW.matcher(journal);
      port = null;
      while (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
      listening = listeningPorts(leader);
      if (state.equals("active") && !pid.equals(notPid) && port != null && listening.contains(port)) {
        break;
      }
      if (state.equals("failed")) {
        break;
      }
      Thread.sleep(1000);
    }
    log("tt.service %s, journal's current port %s, listening on %s", state, port, listening);
    if (!state.equals("active")) {
      fail("tt.service is " + state + ":\n" + inContainer(leader, "systemctl", "status", "--no-pager", "-l", "tt.service").output()
          + "\n" + Exec.tail(inContainer(leader, "journalctl", "-b", "--no-pager", "-n", "60").output(), 6000));
    }
    assertTrue(port != null && port >= FROM && port <= TO, "the journal names the open port in the range: " + journal);
    assertTrue(listening.contains(port), "ss shows the current port " + port + " listening: " + listening);
    for (int p : listening) {
      assertTrue(p >= FROM && p <= TO || p == 9464 || p == 5701, "listening only in the range (and management ports): " + p);
    }
    return port;
  }

  private static void checkBootedSystem(long leader, Process nspawn, Path work) throws Exception {
    int port = waitForTt(leader, nspawn, work, "0");

    // The port is TT's: a non-TT client is handed to the fake site, which answers like a web server.
    Exec.Result probe = inContainerNet(leader, "curl", "-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}",
        "http://127.0.0.1:" + port + "/");
    assertTrue(probe.output().strip().matches("[1-5]\\d\\d"), "an HTTP answer on port " + port + ": " + probe.output());
    log("GET / on port %d: HTTP %s (the fake site)", port, probe.output().strip());

    // /health on metrics-listen (127.0.0.1:9464, the role's default).
    Exec.Result health = inContainerNet(leader, "curl", "-s", "-m", "10", "-w", "\n%{http_code}",
        "http://127.0.0.1:9464/health");
    String out = health.output().strip();
    int nl = out.lastIndexOf('\n');
    assertEquals("200", out.substring(nl + 1), "GET /health status: " + out);
    assertEquals("ok", out.substring(0, Math.max(nl, 0)).strip(), "GET /health body");
    log("GET /health: 200 ok");

    // Hardening as systemd applied it: the tt user, no capability.
    String pid = mainPid(leader);
    String status = inContainer(leader, "cat", "/proc/" + pid + "/status").output();
    String uid = inContainer(leader, "id", "-u", "tt").output().strip();
    assertTrue(status.matches("(?s).*\\nUid:\\s+" + uid + "\\s+" + uid + "\\s.*"), "runs as tt (" + uid + "):\n" + status);
    assertTrue(status.contains("CapEff:\t0000000000000000"), "no effective capability:\n" + status);
    assertTrue(status.contains("NoNewPrivs:\t1"), "NoNewPrivileges:\n" + status);
    Exec.Result exposure = inContainer(leader, "systemd-analyze", "security", "--no-pager", "tt.service");
    Matcher e = Pattern.compile("Overall exposure level for tt.service: (\\d+\\.\\d+)").matcher(exposure.output());
    assertTrue(e.find(), exposure.output());
    log("systemd-analyze security: exposure %s", e.group(1));
    assertTrue(Double.parseDouble(e.group(1)) <= 3.0, "systemd rates tt.service well sandboxed:\n" + exposure.output());

    // nftables.service loaded the rule file into the container's network namespace.
    Exec.Result nft = inContainer(leader, "nft", "list", "chain", "inet", "filter", "tt_ports");
    assertTrue(nft.output().contains("tcp dport " + FROM + "-" + TO + " accept"), nft.output());
    Exec.Result input = inContainer(leader, "nft", "list", "chain", "inet", "filter", "input");
    assertTrue(input.output().contains("jump tt_ports"), input.output());
  }

  private static Set<Integer> listeningPorts(long leader) {
    Exec.Result ss = inContainerNet(leader, "ss", "-H", "-l", "-t", "-n");
    Set<Integer> ports = new TreeSet<>();
    for (String line : ss.output().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4) {
        String local = f[3];
        ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
      }
    }
    return ports;
  }

  /** SIGTERM asks the container to power off; SIGKILL (with its processes) if it has not within 30 s. */
  private static void stop(Process nspawn) {
    nspawn.destroy();
    try {
      if (!nspawn.waitFor(30, TimeUnit.SECONDS)) {
        log("the container did not power off in 30 s: killing it");
        Exec.kill(nspawn, Duration.ofSeconds(5));
        nspawn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Exec.kill(nspawn, Duration.ofSeconds(1));
      Thread.currentThread().interrupt();
    }
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private static void log(String fmt, Object... args) {
    System.out.println("[deploy] " + String.format(fmt, args));
  }
}
