package io.tt.common.config;

import io.tt.common.mux.MuxWindow;
import io.tt.common.proxy.TargetAddress;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Everything a TT client runs with, validated once. */
public record ClientConfig(TargetAddress listen, List<String> servers, Balance balance, String proxyUser,
                           Secret proxyPassword, TunnelSettings tunnel, TunConfig tun, int connectTimeoutMillis,
                           int instances, boolean verbose, int coverTrafficMillis, int handshakeTimeoutMillis,
                           int muxStreams, int muxWindow, int muxIdleSeconds) {

  /** Streams per mux connection by default; 0 turns mux off (a TT connection per proxied connection). */
  public static final int DEFAULT_MUX_STREAMS = 4;

  public static final String DEFAULT_LISTEN = "127.0.0.1:1080";

  /** How new tunnels are spread over several servers. */
  public enum Balance {
    /** Round robin over the healthy servers. */
    BALANCE_RR,
    /** The first healthy server; the next when it fails. */
    ACTIVE_BACKUP;

    public static Balance fromName(String s) {
      return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "balance-rr", "rr", "round-robin" -> BALANCE_RR;
        case "active-backup", "backup" -> ACTIVE_BACKUP;
        default -> throw new IllegalArgumentException("must be balance-rr or active-backup, got '" + s + "'");
      };
    }
  }

  public static ClientConfig fromJson(JsonObject json) {
    ConfigValues c = new ConfigValues(json);
    TargetAddress listen = c.has("listen") ? ServerConfig.address(c, "listen", 1080)
        : TargetAddress.parse(DEFAULT_LISTEN, 1080);
    List<String> servers = c.list("server");
    if (servers.isEmpty()) {
      throw ConfigException.of("server", "missing: give -s/--server HOST (several: HOST1,HOST2)");
    }
    for (String s : servers) {
      if (s.isEmpty() || s.contains(" ") || s.contains("/")) {
        throw ConfigException.of("server", "not a host name or address: '" + s + "'");
      }
    }
    Balance balance;
    try {
      balance = c.has("balance") ? Balance.fromName(c.string("balance")) : Balance.BALANCE_RR;
    } catch (IllegalArgumentException e) {
      throw ConfigException.of("balance", e.getMessage());
    }
    String user = null;
    Secret password = null;
    if (c.has("proxy-user")) {
      String up = c.string("proxy-user");
      int colon = up.indexOf(':');
      if (colon <= 0 || colon == up.length() - 1) {
        throw ConfigException.of("proxy-user", "must be USER:PASSWORD");
      }
      user = up.substring(0, colon);
      password = new Secret(up.substring(colon + 1));
    }
    return new ClientConfig(listen, servers, balance, user, password, TunnelSettings.from(c), TunConfig.from(c),
        c.integer("connect-timeout", 10_000, 100, 600_000),
        c.integer("instances", Runtime.getRuntime().availableProcessors(), 1, 256),
        c.bool("verbose"),
        c.integer("cover-traffic", 0, 0, 3_600_000),
        c.integer("handshake-timeout", 30_000, 100, 600_000),
        c.integer("mux", DEFAULT_MUX_STREAMS, 0, 65536),
        c.integer("mux-window", 4 << 20, MuxWindow.INITIAL, 1 << 30),
        c.integer("mux-idle", 30, 1, 86400));
  }
}
