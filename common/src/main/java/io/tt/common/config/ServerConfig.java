package io.tt.common.config;

import io.tt.common.mux.MuxWindow;
import io.tt.common.proxy.TargetAddress;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Everything a TT server runs with, validated once. */
public record ServerConfig(String listenHost, TunnelSettings tunnel, TargetAddress fallback, int handshakeTimeoutMillis,
                           int connectTimeoutMillis, int replayCapacity, TunConfig tun, TargetAddress metricsListen,
                           List<String> clusterMembers, String clusterHost, int instances, boolean verbose,
                           int maxUnauthenticated, int maxUnauthenticatedPerAddress, int keyRotationOverlapSeconds,
                           String clusterName, int siteHeaderTimeoutMillis, int muxStreams, int muxWindow,
                           int muxIdleSeconds) {

  public static final String DEFAULT_LISTEN = "0.0.0.0";

  public static ServerConfig fromJson(JsonObject json) {
    ConfigValues c = new ConfigValues(json);
    String listen = c.has("listen") ? c.string("listen") : DEFAULT_LISTEN;
    if (listen.contains(":") && !listen.contains("::") && listen.indexOf(':') == listen.lastIndexOf(':')) {
      throw ConfigException.of("listen", "the server listens on an address only (its ports come from port-range), got '" + listen + "'");
    }
    TunnelSettings tunnel = TunnelSettings.from(c);
    TargetAddress fallback = c.has("fallback") ? address(c, "fallback", -1) : null;
    TargetAddress metrics = c.has("metrics-listen") ? address(c, "metrics-listen", 9464) : null;
    List<String> members = c.list("cluster-members");
    String clusterHost = c.has("cluster-host") ? c.string("cluster-host") : null;
    if (!members.isEmpty() && clusterHost == null) {
      if (listen.equals("0.0.0.0") || listen.equals("::")) {
        throw ConfigException.of("cluster-host", "missing: the address this member binds Hazelcast to (never all addresses)");
      }
      clusterHost = listen;
    }
    return new ServerConfig(listen, tunnel, fallback,
        c.integer("handshake-timeout", 10_000, 100, 600_000),
        c.integer("connect-timeout", 10_000, 100, 600_000),
        c.integer("replay-capacity", 200_000, 1000, 50_000_000),
        TunConfig.from(c), metrics, members, clusterHost,
        c.integer("instances", Runtime.getRuntime().availableProcessors(), 1, 256),
        c.bool("verbose"),
        c.integer("max-unauthenticated", 4096, 1, 1_000_000),
        c.integer("max-unauthenticated-per-ip", 64, 1, 1_000_000),
        c.integer("key-rotation-overlap", 3600, 0, 30 * 86400),
        c.has("cluster-name") ? c.string("cluster-name") : "tt",
        c.integer("site-header-timeout", 60_000, 100, 3_600_000),
        c.integer("mux-streams", 1024, 1, 1_000_000),
        c.integer("mux-window", 1 << 20, MuxWindow.INITIAL, 1 << 30),
        c.integer("mux-idle", 300, 1, 86400));
  }

  static TargetAddress address(ConfigValues c, String key, int defaultPort) {
    try {
      TargetAddress a = TargetAddress.parse(c.string(key), defaultPort);
      if (a.port() < 1) {
        throw new IllegalArgumentException("needs a port");
      }
      return a;
    } catch (IllegalArgumentException e) {
      throw ConfigException.of(key, "must be HOST:PORT (" + e.getMessage() + ")");
    }
  }
}
