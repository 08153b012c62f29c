package io.tt.e2e.deploy;

import io.tt.common.config.ConfigSources;
import io.tt.common.config.OptionSpec;
import io.tt.common.config.Options;
import io.tt.common.config.ServerConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ansible/: ansible-lint's production profile, a syntax check of site.yml with the example inventory, and the
 * role's own templates rendered for a three-host fleet (cluster members and addresses, TUN mode, capabilities).
 * The role applied for real to a Debian system is {@link AnsibleChrootTest}.
 */
@Timeout(300)
class AnsibleRoleTest {

  private static final Path ROOT = Exec.repoRoot();
  private static final Path ANSIBLE = ROOT.resolve("ansible");
  private static final Path RESOURCES = ROOT.resolve("e2e/src/test/resources/deploy");
  private static final Set<String> SERVER_KEYS = Options.SERVER.stream().map(OptionSpec::longName).collect(Collectors.toSet());

  @TempDir
  Path tmp;

  @Test
  void ansibleLintPassesTheProductionProfile() {
    Path lint = Exec.which("ansible-lint");
    assumeTrue(lint != null, "ansible-lint is not installed (apt-get install ansible-lint)");
    // --offline: never reach for Ansible Galaxy; the collections come with Debian's ansible package.
    Exec.Result r = Exec.run(Duration.ofMinutes(4), ROOT, Map.of("ANSIBLE_NOCOLOR", "1", "NO_COLOR", "1"),
        lint.toString(), "--offline", "--profile", "production", "ansible/");
    r.assertOk();
    assertTrue(r.output().contains("Passed with production profile: 0 failure(s), 0 warning(s)"), r.output());
  }

  @Test
  void sitePlaybookPassesTheSyntaxCheckWithTheExampleInventory() {
    Path playbook = ansiblePlaybook();
    Exec.run(Duration.ofMinutes(2), ANSIBLE, ansibleEnv(), playbook.toString(), "--syntax-check", "-i", "inventory",
        "site.yml").assertOk();
    // The example inventory lists the fleet group the role clusters over.
    Exec.Result hosts = Exec.run(Duration.ofMinutes(1), ANSIBLE, ansibleEnv(), playbook.toString(), "--list-hosts",
        "-i", "inventory", "site.yml").assertOk();
    assertTrue(hosts.output().contains("tt1.example.net") && hosts.output().contains("tt3.example.net"), hosts.output());
    // vault.yml.example is documentation: Ansible must not load its placeholder key.
    Path inventory = Exec.which("ansible-inventory");
    assumeTrue(inventory != null, "ansible-inventory is not installed");
    Exec.Result vars = Exec.run(Duration.ofMinutes(1), ANSIBLE, ansibleEnv(), inventory.toString(), "-i", "inventory",
        "--host", "tt1.example.net").assertOk();
    assertFalse(vars.output().contains("tt_key"), vars.output());
    assertTrue(vars.output().contains("\"tt_server_cluster_host\": \"10.0.0.11\""), vars.output());
  }

  @Test
  void fleetConfigJoinsEveryHostIntoOneCluster() throws IOException {
    Map<String, JsonObject> conf = render(Map.of());
    assertEquals(Set.of("tt1.example.net", "tt2.example.net", "192.0.2.13"), conf.keySet());
    // Cluster address: tt_server_cluster_host, else ansible_host, else the inventory name.
    Map<String, String> address = Map.of("tt1.example.net", "10.0.0.11", "tt2.example.net", "203.0.113.12",
        "192.0.2.13", "192.0.2.13");
    for (var e : conf.entrySet()) {
      JsonObject c = e.getValue();
      assertEquals(List.of("10.0.0.11", "203.0.113.12", "192.0.2.13"), List.of(c.getString("cluster-members").split(",")),
          e.getKey() + ": every member of the group, the same list on each host");
      assertEquals(address.get(e.getKey()), c.getString("cluster-host"), e.getKey());
      assertEquals("tt", c.getString("cluster-name"));
      assertEquals("/etc/tt/key", c.getString("key-file"));
      assertFalse(c.containsKey("key"), "the key lives in the key file only");
      assertFalse(c.containsKey("tun-ip"));
      ServerConfig sc = validate(c);
      assertEquals(3, sc.clusterMembers().size());
      assertEquals("127.0.0.1", sc.metricsListen().host(), "metrics on localhost by default");
    }
    String unit = Files.readString(tmp.resolve("out/tt1.example.net.service"));
    for (String line : List.of("User=tt", "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes",
        "PrivateDevices=yes", "AmbientCapabilities=\n", "CapabilityBoundingSet=\n", "RestartPreventExitStatus=2",
        "-jar /opt/tt/lib/tt-server-fat.jar -conf /etc/tt/server.json")) {
      assertTrue(unit.contains(line), "tt.service has " + line.strip() + ":\n" + unit);
    }
    assertFalse(unit.contains("--key") || unit.contains("TT_KEY"), "no key in the unit");
    String nft = Files.readString(tmp.resolve("out/tt1.example.net.nft"));
    assertTrue(nft.contains("tcp dport 20000-29999 accept"), nft);
    assertFalse(nft.contains("udp dport"), "UDP only in TUN mode:\n" + nft);
    // Hazelcast only from the members.
    assertTrue(nft.contains("ip saddr { 10.0.0.11, 203.0.113.12, 192.0.2.13 } tcp dport 5701-5720 accept"), nft);
  }

  @Test
  void renderedNftablesRuleFilesPassNftCheck() throws IOException {
    Path nft = Exec.which("nft");
    assumeTrue(nft != null, "nft is not installed (apt-get install nftables)");
    assumeTrue(Exec.isRoot(), "`nft -c` needs root (CAP_NET_ADMIN)");
    render(Map.of());
    Files.move(tmp.resolve("out"), tmp.resolve("cluster"));
    render(Map.of("tt_server_cluster_enabled", false, "tt_server_tun_enabled", true));
    for (Path f : List.of(tmp.resolve("cluster/tt1.example.net.nft"), tmp.resolve("out/tt2.example.net.nft"))) {
      // In a new network namespace: checked against an empty ruleset, nothing of the host's touched.
      Exec.run(Duration.ofSeconds(30), null, null, "unshare", "--net", nft.toString(), "-c", "-f", f.toString()).assertOk();
      // And loaded there for real, twice through a whole-ruleset reload, as nftables.service does.
      Path conf = tmp.resolve("nftables.conf");
      Files.writeString(conf, """
          flush ruleset
          table inet filter {
            chain input {
              type filter hook input priority filter; policy drop;
              ct state established,related accept
            }
          }
          include "%s"
          """.formatted(f));
      Exec.Result listed = Exec.run(Duration.ofSeconds(30), null, null, "unshare", "--net", "sh", "-ec",
          "nft -f \"$0\"; nft -f \"$0\"; nft list ruleset", conf.toString()).assertOk();
      String out = listed.output();
      assertEquals(1, out.split("jump tt_ports", -1).length - 1, "one jump after two reloads:\n" + out);
      assertTrue(out.contains("policy drop;"), "the admin's policy is kept:\n" + out);
      assertTrue(out.indexOf("jump tt_ports") < out.indexOf("ct state established"), "the jump comes first:\n" + out);
    }
  }

  @Test
  void singleHostNeedsNoClusterAndTunModeGetsItsCapabilityDeviceAndUdp() throws IOException {
    Map<String, JsonObject> conf = render(Map.of("tt_server_cluster_enabled", false, "tt_server_tun_enabled", true,
        "tt_server_port_range", "443-8443", "tt_server_fallback", "www.example.org:443"));
    JsonObject c = conf.get("tt2.example.net");
    assertFalse(c.containsKey("cluster-members"));
    assertFalse(c.containsKey("cluster-host"));
    assertFalse(c.containsKey("cluster-name"));
    assertEquals("10.8.0.1/16", c.getString("tun-ip"));
    ServerConfig sc = validate(c);
    assertTrue(sc.clusterMembers().isEmpty());
    assertEquals("www.example.org", sc.fallback().host());
    assertEquals("UDP", sc.tun().proto().name());
    String unit = Files.readString(tmp.resolve("out/tt2.example.net.service"));
    assertTrue(unit.contains("AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE\n"), unit);
    assertTrue(unit.contains("CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE\n"), unit);
    assertTrue(unit.contains("DeviceAllow=/dev/net/tun rw"), unit);
    assertTrue(unit.contains("NoNewPrivileges=yes"), unit);
    String nft = Files.readString(tmp.resolve("out/tt2.example.net.nft"));
    assertTrue(nft.contains("tcp dport 443-8443 accept") && nft.contains("udp dport 443-8443 accept"), nft);
    assertFalse(nft.contains("5701"), "no cluster, no Hazelcast rule:\n" + nft);
  }

  // ---------------------------------------------------------------- helpers

  private static Path ansiblePlaybook() {
    Path p = Exec.which("ansible-playbook");
    assumeTrue(p != null, "ansible-playbook is not installed (apt-get install ansible)");
    return p;
  }

  static Map<String, String> ansibleEnv() {
    return Map.of("ANSIBLE_CONFIG", ANSIBLE.resolve("ansible.cfg").toString(), "ANSIBLE_NOCOLOR", "1",
        "ANSIBLE_FORCE_COLOR", "0", "ANSIBLE_RETRY_FILES_ENABLED", "0", "PYTHONUNBUFFERED", "1");
  }

  /** Renders the role's templates for the three-host test inventory; extra vars win over the role defaults. */
  private Map<String, JsonObject> render(Map<String, Object> extraVars) throws IOException {
    Path playbook = ansiblePlaybook();
    Path out = Files.createDirectories(tmp.resolve("out"));
    JsonObject extra = new JsonObject().put("role_dir", ANSIBLE.resolve("roles/tt_server").toString())
        .put("out_dir", out.toString());
    extraVars.forEach(extra::put);
    Exec.run(Duration.ofMinutes(2), ANSIBLE, ansibleEnv(), playbook.toString(), "-i",
        RESOURCES.resolve("fleet-inventory.yml").toString(), RESOURCES.resolve("render-config.yml").toString(),
        "-e", extra.encode()).assertOk();
    Map<String, JsonObject> conf = new java.util.TreeMap<>();
    try (var files = Files.list(out)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".server.json")).toList()) {
        String name = f.getFileName().toString().replace(".server.json", "");
        JsonObject c = new JsonObject(Files.readString(f));
        for (String k : c.fieldNames()) {
          assertTrue(SERVER_KEYS.contains(k), name + ": '" + k + "' is not a `tt server` option");
        }
        conf.put(name, c);
      }
    }
    return conf;
  }

  private ServerConfig validate(JsonObject c) throws IOException {
    Path key = tmp.resolve("key");
    Files.writeString(key, "k\n");
    ServerConfig sc = ServerConfig.fromJson(ConfigSources.merge(Options.SERVER, c.copy().put("key-file", key.toString()),
        Map.of(), new JsonObject()));
    return sc;
  }
}
