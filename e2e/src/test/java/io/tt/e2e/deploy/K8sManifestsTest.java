package io.tt.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.tt.common.config.ConfigSources;
import io.tt.common.config.OptionSpec;
import io.tt.common.config.Options;
import io.tt.common.config.ServerConfig;
import io.tt.common.config.TunConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * k8s/: every file parses strictly into the fabric8 model, base and overlays render with {@code kubectl kustomize},
 * and the rendered fleet has what a TT server needs (host network, /health probes on the metrics port, sized JVM,
 * the key as a read-only 0400 file, a server.json that TT itself accepts, locked-down containers).
 */
@Timeout(120)
class K8sManifestsTest {

  private static final Path ROOT = Exec.repoRoot();
  private static final Path K8S = ROOT.resolve("k8s");
  private static final Set<String> SERVER_KEYS = Options.SERVER.stream().map(OptionSpec::longName).collect(Collectors.toSet());
  /** Metaspace, code cache, thread stacks, GC structures: what a JVM needs beside heap and direct buffers. */
  private static final long JVM_OVERHEAD = 256L << 20;
  private static final String POD_IP = "192.0.2.10";

  @TempDir
  Path tmp;

  // ---------------------------------------------------------------- every file as it is in git

  @TestFactory
  Stream<DynamicTest> everyManifestFileParsesStrictly() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(K8S)) {
      files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    assertTrue(files.size() >= 8, "k8s/ holds the base and both overlays: " + files);
    return files.stream().map(f -> DynamicTest.dynamicTest(K8S.relativize(f).toString(), () -> {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      if (f.getFileName().toString().equals("kustomization.yaml")) {
        checkKustomization(f, text);
        return;
      }
      List<HasMetadata> rs = KubeYaml.resources(text);
      assertFalse(rs.isEmpty(), f + " holds no object");
      for (HasMetadata r : rs) {
        assertNotNull(r.getMetadata().getName(), f + ": an object without a name");
      }
    }));
  }

  private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "namespace", "labels",
      "resources", "configMapGenerator", "secretGenerator", "patches", "images", "generatorOptions",
      "commonAnnotations", "components");

  private static void checkKustomization(Path f, String text) throws IOException {
    List<JsonNode> docs = KubeYaml.documents(text);
    assertEquals(1, docs.size(), f.toString());
    JsonNode k = docs.get(0);
    assertEquals("kustomize.config.k8s.io/v1beta1", k.path("apiVersion").asText(), f.toString());
    assertEquals("Kustomization", k.path("kind").asText(), f.toString());
    k.fieldNames().forEachRemaining(n -> assertTrue(KUSTOMIZATION_FIELDS.contains(n), f + ": unexpected field " + n));
    // Every file it names exists (a typo would otherwise only show at `kubectl apply` time).
    Path dir = f.getParent();
    for (JsonNode r : k.path("resources")) {
      assertTrue(Files.exists(dir.resolve(r.asText())), f + ": resource " + r.asText() + " missing");
    }
    for (JsonNode p : k.path("patches")) {
      assertTrue(Files.isRegularFile(dir.resolve(p.path("path").asText())), f + ": patch " + p + " missing");
    }
    for (JsonNode g : k.path("configMapGenerator")) {
      for (JsonNode file : g.path("files")) {
        String name = file.asText().contains("=") ? file.asText().substring(file.asText().indexOf('=') + 1) : file.asText();
        Path p = dir.resolve(name);
        assertTrue(Files.isRegularFile(p), f + ": generator file " + name + " missing");
        if (name.endsWith(".json")) {
          checkServerJsonKeys(Files.readString(p), p.toString());
        }
      }
    }
  }

  @Test
  void theStrictParserRejectsUnknownAndMisplacedFields() {
    String typo = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: x}
        spec:
          template:
            spec:
              hostNetwrok: true
              containers: [{name: c, image: i}]
        """;
    var e = assertThrows(IOException.class, () -> KubeYaml.resources(typo));
    assertTrue(e.getMessage().contains("hostNetwrok"), e.getMessage());
    String nested = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: x}
        spec:
          template:
            spec:
              containers:
                - name: c
                  image: i
                  livenessProbe: {httpGet: {pth: /health, port: 9464}}
        """;
    e = assertThrows(IOException.class, () -> KubeYaml.resources(nested));
    assertTrue(e.getMessage().contains("pth"), e.getMessage());
    // hostNetwork belongs to the pod spec, not to the container.
    String misplaced = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: x}
        spec:
          template:
            spec:
              containers: [{name: c, image: i, hostNetwork: true}]
        """;
    assertThrows(IOException.class, () -> KubeYaml.resources(misplaced));
    assertThrows(IOException.class, () -> KubeYaml.resources("apiVersion: v1\nkind: Deployment\nmetadata: {name: x}\n"));
  }

  @Test
  void rawBaseWritesTheKeyModeInOctalAndMeansIt() throws IOException {
    DaemonSet ds = (DaemonSet) KubeYaml.resources(Files.readString(K8S.resolve("base/daemonset.yaml"))).get(0);
    Volume key = ds.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null).findFirst().orElseThrow();
    assertEquals(0400, key.getSecret().getDefaultMode(), "YAML 0400 is octal, i.e. 256");
  }

  // ---------------------------------------------------------------- kubectl kustomize

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/production", "overlays/tun"})
  void rendersWithKubectlKustomize(String dir) {
    String yaml = kustomize(dir);
    assertTrue(yaml.contains("kind: DaemonSet"), yaml);
  }

  @ParameterizedTest
  @ValueSource(strings = {"base", "overlays/production", "overlays/tun"})
  void renderedFleetIsWhatATtServerNeeds(String dir) throws IOException {
    boolean tun = dir.endsWith("tun");
    List<HasMetadata> all = KubeYaml.resources(kustomize(dir));
    Map<String, List<HasMetadata>> byKind = all.stream().collect(Collectors.groupingBy(HasMetadata::getKind));
    assertEquals(Set.of("Namespace", "ServiceAccount", "Secret", "ConfigMap", "Service", "DaemonSet"), byKind.keySet());
    for (HasMetadata r : all) {
      if (!(r.getKind().equals("Namespace"))) {
        assertEquals("tt", r.getMetadata().getNamespace(), r.getKind() + " " + r.getMetadata().getName());
      }
    }
    DaemonSet ds = only(byKind, "DaemonSet", DaemonSet.class);
    PodSpec pod = ds.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().stream().filter(x -> x.getName().equals("tt-server")).findFirst().orElseThrow();
    assertEquals(1, pod.getContainers().size());
    assertEquals("ghcr.io/tt-tunnel/tt-server:1.0.0", c.getImage());

    // The port jumps: no Service can front it, the pod is on the node's network and keeps cluster DNS.
    assertEquals(Boolean.TRUE, pod.getHostNetwork(), "hostNetwork");
    assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    assertTrue(ds.getSpec().getSelector().getMatchLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(ds.getSpec().getTemplate().getMetadata().getLabels().get(e.getKey()))),
        "the DaemonSet selects its own pods");

    // Config: the ConfigMap the pod mounts holds a server.json that TT accepts, with the container's TT_* env.
    ConfigMap cm = only(byKind, "ConfigMap", ConfigMap.class);
    String serverJson = cm.getData().get("server.json");
    assertNotNull(serverJson, "ConfigMap " + cm.getMetadata().getName() + " has server.json");
    JsonObject conf = checkServerJsonKeys(serverJson, "ConfigMap server.json");
    Volume cfgVol = volume(pod, v -> v.getConfigMap() != null);
    assertEquals(cm.getMetadata().getName(), cfgVol.getConfigMap().getName(), "the pod mounts the generated ConfigMap");
    VolumeMount cfgMount = mount(c, cfgVol.getName());
    assertEquals(Boolean.TRUE, cfgMount.getReadOnly());
    assertTrue(c.getArgs().contains("-conf"), "launcher form: -conf server.json " + c.getArgs());
    assertEquals(cfgMount.getMountPath(), c.getArgs().get(c.getArgs().indexOf("-conf") + 1));

    // Key: a Secret mounted read-only as the key file, mode 0400, readable through fsGroup; no key in git.
    Secret secret = only(byKind, "Secret", Secret.class);
    assertTrue(secret.getData() == null || secret.getData().isEmpty(), "no key material in the manifests");
    assertTrue(secret.getStringData() == null || secret.getStringData().isEmpty(), "no key material in the manifests");
    Volume keyVol = volume(pod, v -> v.getSecret() != null);
    assertEquals(secret.getMetadata().getName(), keyVol.getSecret().getSecretName());
    assertEquals(0400, keyVol.getSecret().getDefaultMode());
    VolumeMount keyMount = mount(c, keyVol.getName());
    assertEquals(Boolean.TRUE, keyMount.getReadOnly(), "key mounted read-only");
    var item = keyVol.getSecret().getItems().get(0);
    assertTrue(item.getMode() == null || item.getMode() == 0400);
    assertEquals(keyMount.getMountPath() + "/" + item.getPath(), conf.getString("key-file"), "key-file is the mounted Secret");
    assertFalse(conf.containsKey("key"), "the key is never in the ConfigMap");
    assertFalse(String.join(" ", c.getArgs()).contains("--key "), "the key is never in argv");

    // Health: probes GET /health on the metrics port, which TT serves on the pod (= node) IP.
    Map<String, String> env = resolvedEnv(c);
    String metricsListen = env.get("TT_METRICS_LISTEN");
    assertEquals(POD_IP + ":9464", metricsListen, "metrics-listen bound to the pod IP");
    for (Probe p : new Probe[] {c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()}) {
      assertNotNull(p, "liveness, readiness and startup probes");
      assertNotNull(p.getHttpGet(), "HTTP probe");
      assertEquals("/health", p.getHttpGet().getPath());
      assertNull(p.getHttpGet().getHost(), "the kubelet probes the pod IP, where metrics-listen binds");
      assertEquals(9464, portNumber(c, p.getHttpGet().getPort()));
    }
    Map<String, String> ann = ds.getSpec().getTemplate().getMetadata().getAnnotations();
    assertEquals("true", ann.get("prometheus.io/scrape"));
    assertEquals("9464", ann.get("prometheus.io/port"));
    assertEquals("/metrics", ann.get("prometheus.io/path"));

    // Cluster: the headless Service selects these pods, and server.json names its DNS name.
    Service svc = only(byKind, "Service", Service.class);
    assertEquals("None", svc.getSpec().getClusterIP(), "headless");
    assertEquals(Boolean.TRUE, svc.getSpec().getPublishNotReadyAddresses());
    assertTrue(svc.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 5701), "Hazelcast port");
    Map<String, String> podLabels = ds.getSpec().getTemplate().getMetadata().getLabels();
    svc.getSpec().getSelector().forEach((k, v) -> assertEquals(v, podLabels.get(k), "Service selects the TT pods: " + k));
    String dns = svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc.cluster.local";
    // Kubernetes DNS discovery: the server resolves the headless Service's name to every member (dns:NAME).
    assertEquals("dns:" + dns, conf.getString("cluster-members"), "cluster-members is the headless Service");
    assertEquals(POD_IP, env.get("TT_CLUSTER_HOST"), "Hazelcast binds to the pod IP");

    // TT itself accepts the merged config (file, then TT_* environment), as it would in the pod.
    ServerConfig sc = validate(conf, env);
    assertEquals(9464, sc.metricsListen().port());
    assertEquals(POD_IP, sc.clusterHost());
    assertEquals(tun, sc.tun() != null, "TUN options only in the tun overlay");
    if (tun) {
      assertEquals(TunConfig.Proto.UDP, sc.tun().proto());
    }

    // Resources, and a JVM sized for them.
    checkJvmSizing(c);

    // Lock-down.
    SecurityContext sec = c.getSecurityContext();
    assertEquals(Boolean.TRUE, sec.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem");
    assertEquals(Boolean.FALSE, sec.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation");
    assertTrue(sec.getPrivileged() == null || !sec.getPrivileged());
    assertEquals(List.of("ALL"), sec.getCapabilities().getDrop(), "drop ALL capabilities");
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    VolumeMount tmpMount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
        .orElseThrow(() -> new AssertionError("a writable /tmp (JVM, Netty and JNA native libraries)"));
    assertNotNull(volume(pod, v -> v.getName().equals(tmpMount.getName())).getEmptyDir());
    if (!tun) {
      assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), "non-root");
      assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
      assertTrue(sec.getCapabilities().getAdd() == null || sec.getCapabilities().getAdd().isEmpty(), "no capability added");
      assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty());
      assertTrue(pod.getVolumes().stream().noneMatch(v -> v.getHostPath() != null), "no host path");
    } else {
      assertEquals(List.of("NET_ADMIN"), sec.getCapabilities().getAdd(), "TUN: NET_ADMIN and nothing else");
      Volume tunDev = volume(pod, v -> v.getHostPath() != null);
      assertEquals("/dev/net/tun", tunDev.getHostPath().getPath());
      assertEquals("CharDevice", tunDev.getHostPath().getType());
      assertEquals("/dev/net/tun", mount(c, tunDev.getName()).getMountPath());
      assertEquals(1, pod.getInitContainers().size());
      Container init = pod.getInitContainers().get(0);
      assertEquals(List.of("sysctl", "-w", "net.ipv4.ip_forward=1"), init.getCommand());
      assertNotNull(init.getResources().getLimits().get("memory"));
    }
  }

  @Test
  void dockerfileBuildsWhatTheDaemonSetRuns() throws IOException {
    String df = Files.readString(K8S.resolve("Dockerfile"));
    DaemonSet ds = (DaemonSet) KubeYaml.resources(Files.readString(K8S.resolve("base/daemonset.yaml"))).get(0);
    Container c = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
    String jar = c.getArgs().get(c.getArgs().indexOf("-jar") + 1);
    assertTrue(df.contains("COPY server-verticle/target/tt-server-fat.jar " + jar), "the image holds " + jar);
    long uid = ds.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser();
    assertTrue(df.contains("USER " + uid + ":"), "the image's user is the pod's runAsUser " + uid);
  }

  // ---------------------------------------------------------------- helpers

  private static String kustomize(String dir) {
    Path kubectl = Exec.which("kubectl");
    assumeTrue(kubectl != null, "kubectl is not installed (it renders k8s/ with `kubectl kustomize`)");
    return Exec.run(Duration.ofSeconds(60), ROOT, null, kubectl.toString(), "kustomize", "k8s/" + dir).assertOk().output();
  }

  private static <T> T only(Map<String, List<HasMetadata>> byKind, String kind, Class<T> type) {
    List<HasMetadata> l = byKind.get(kind);
    assertNotNull(l, "no " + kind);
    assertEquals(1, l.size(), "one " + kind);
    return type.cast(l.get(0));
  }

  private static Volume volume(PodSpec pod, java.util.function.Predicate<Volume> which) {
    List<Volume> vs = pod.getVolumes().stream().filter(which).toList();
    assertEquals(1, vs.size(), "volumes " + pod.getVolumes());
    return vs.get(0);
  }

  private static VolumeMount mount(Container c, String volume) {
    return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
        .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
  }

  private static int portNumber(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
  }

  /** The container's env with $(VAR) references expanded, status.podIP standing for a node address. */
  private static Map<String, String> resolvedEnv(Container c) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : c.getEnv()) {
      String v;
      if (e.getValueFrom() != null) {
        assertEquals("status.podIP", e.getValueFrom().getFieldRef().getFieldPath(), e.getName());
        v = POD_IP;
      } else {
        Matcher m = Pattern.compile("\\$\\(([A-Z_]+)\\)").matcher(e.getValue());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
          String ref = env.get(m.group(1));
          assertNotNull(ref, e.getName() + " refers to " + m.group(1) + ", defined before it");
          m.appendReplacement(sb, Matcher.quoteReplacement(ref));
        }
        m.appendTail(sb);
        v = sb.toString();
      }
      env.put(e.getName(), v);
    }
    return env;
  }

  private static JsonObject checkServerJsonKeys(String json, String what) {
    JsonObject conf;
    try {
      conf = new JsonObject(json);
    } catch (RuntimeException e) {
      throw new AssertionError(what + " is not valid JSON: " + e.getMessage(), e);
    }
    for (String k : conf.fieldNames()) {
      assertTrue(SERVER_KEYS.contains(k), what + ": '" + k + "' is not a `tt server` option " + SERVER_KEYS);
    }
    return conf;
  }

  private ServerConfig validate(JsonObject conf, Map<String, String> podEnv) throws IOException {
    Path key = tmp.resolve("key");
    Files.writeString(key, "a test key\n");
    JsonObject file = conf.copy().put("key-file", key.toString());
    Map<String, String> ttEnv = podEnv.entrySet().stream().filter(e -> e.getKey().startsWith("TT_"))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return ServerConfig.fromJson(ConfigSources.merge(Options.SERVER, file, ttEnv, new JsonObject()));
  }

  private static void checkJvmSizing(Container c) {
    Quantity limit = c.getResources().getLimits().get("memory");
    Quantity request = c.getResources().getRequests().get("memory");
    assertNotNull(limit, "memory limit");
    assertNotNull(c.getResources().getLimits().get("cpu"), "cpu limit");
    assertNotNull(request, "memory request");
    assertNotNull(c.getResources().getRequests().get("cpu"), "cpu request");
    BigDecimal limitBytes = Quantity.getAmountInBytes(limit);
    assertTrue(Quantity.getAmountInBytes(request).compareTo(limitBytes) <= 0, "request <= limit");
    Double pct = null;
    Long direct = null;
    for (String a : c.getArgs()) {
      if (a.startsWith("-XX:MaxRAMPercentage=")) {
        pct = Double.parseDouble(a.substring(a.indexOf('=') + 1));
      } else if (a.startsWith("-XX:MaxDirectMemorySize=")) {
        direct = bytes(a.substring(a.indexOf('=') + 1));
      } else if (a.startsWith("-Xmx")) {
        fail("a fixed -Xmx ignores the container limit: use -XX:MaxRAMPercentage");
      }
    }
    assertNotNull(pct, "the JVM heap follows the limit (-XX:MaxRAMPercentage)");
    assertNotNull(direct, "direct buffers are capped (-XX:MaxDirectMemorySize), else they may grow as large as the heap");
    long heap = limitBytes.multiply(BigDecimal.valueOf(pct / 100)).longValue();
    long total = heap + direct + JVM_OVERHEAD;
    assertTrue(total <= limitBytes.longValue(), "heap " + (heap >> 20) + " MiB + direct " + (direct >> 20)
        + " MiB + JVM " + (JVM_OVERHEAD >> 20) + " MiB fit in the " + limit + " limit");
    assertTrue(c.getArgs().contains("-XX:+ExitOnOutOfMemoryError"), "an OOM JVM exits and gets restarted");
  }

  private static long bytes(String s) {
    char u = Character.toLowerCase(s.charAt(s.length() - 1));
    long n = Long.parseLong(Character.isDigit(u) ? s : s.substring(0, s.length() - 1));
    return switch (u) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      default -> n;
    };
  }
}
