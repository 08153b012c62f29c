package io.tt.server.fleet;

import io.tt.common.config.ConfigException;
import io.tt.common.config.ConfigSources;
import io.tt.common.config.Options;
import io.tt.common.config.Secret;
import io.tt.common.config.ServerConfig;
import io.tt.server.ServerContext;
import io.tt.server.ServerKeys;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Keeps a server on the fleet's config, live. The config file is watched (vertx-config, scanned every second);
 * an edit to a fleet field is published to every member (or just applied, for a single server), which re-derive
 * their keys off the event loop and move their ports, without a restart and without touching established tunnels.
 * A key that leaves the config is still accepted for {@code key-rotation-overlap} seconds.
 */
public final class FleetSync {

  private static final Logger LOG = Logger.getLogger(FleetSync.class.getName());

  /** Internal config keys set by the launcher: the file to watch and the command-line layer over it. */
  public static final String CONFIG_FILE = io.tt.common.cli.Cli.CONFIG_FILE_KEY;
  public static final String CONFIG_OVERRIDES = io.tt.common.cli.Cli.CONFIG_OVERRIDES_KEY;
  static final long FILE_SCAN_MILLIS = 1000;

  private final Vertx vertx;
  private final ServerContext ctx;
  private final FleetStore store;
  private final JsonObject startConfig;
  private final String member;
  /** Keys removed from the fleet config, still accepted until the time (ms) they map to. */
  private final Map<String, Long> retiring = new LinkedHashMap<>();
  private FleetConfig applied;
  private long appliedVersion;
  private Future<Void> applying = Future.succeededFuture();
  private ConfigRetriever retriever;
  private long retireTimer = -1;

  public FleetSync(Vertx vertx, ServerContext ctx, FleetStore store, JsonObject startConfig, String member) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.store = store;
    this.startConfig = startConfig;
    this.member = member;
  }

  /** Joins the fleet's config (seeding it when first), then watches the file and the fleet. */
  public Future<Void> start() {
    FleetConfig own = FleetConfig.of(ctx.config());
    JsonObject seed = entry(1, own);
    return store.seed(seed).compose(entry -> {
      FleetConfig fleet = FleetConfig.fromJson(entry.getJsonObject("fleet"));
      List<String> diff = own.differences(fleet);
      if (!diff.isEmpty()) {
        LOG.warning(() -> "this member's config differs from the fleet's in " + String.join(", ", diff)
            + "; following the fleet (version " + entry.getLong("version") + " from " + entry.getString("origin") + ")");
      }
      appliedVersion = entry.getLong("version");
      applied = own; // what the keys in force were derived from
      store.onChange(this::onEntry);
      watchFile();
      return diff.isEmpty() ? Future.succeededFuture() : apply(fleet, appliedVersion);
    });
  }

  public void stop() {
    if (retriever != null) {
      retriever.close();
    }
    vertx.cancelTimer(retireTimer);
    if (store instanceof ClusterFleetStore c) {
      c.stop();
    }
  }

  private JsonObject entry(long version, FleetConfig f) {
    return new JsonObject().put("version", version).put("origin", member).put("fleet", f.toJson());
  }

  private void onEntry(JsonObject entry) {
    long version = entry.getLong("version", 0L);
    if (version <= appliedVersion) {
      return;
    }
    FleetConfig f;
    try {
      f = FleetConfig.fromJson(entry.getJsonObject("fleet"));
    } catch (ConfigException e) {
      LOG.warning(() -> "fleet config version " + version + " refused: " + e.getMessage());
      appliedVersion = version;
      return;
    }
    appliedVersion = version;
    apply(f, version);
  }

  private void watchFile() {
    String file = startConfig.getString(CONFIG_FILE);
    if (file == null) {
      return;
    }
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setScanPeriod(FILE_SCAN_MILLIS)
        .addStore(new ConfigStoreOptions().setType("file").setFormat("json").setConfig(new JsonObject().put("path", file))));
    retriever.listen(change -> onFileChanged(change.getNewConfiguration()));
    LOG.fine(() -> "watching " + file + " for config changes");
  }

  private void onFileChanged(JsonObject fileJson) {
    ServerConfig cfg;
    try {
      JsonObject overrides = startConfig.getJsonObject(CONFIG_OVERRIDES, new JsonObject());
      cfg = ServerConfig.fromJson(ConfigSources.merge(Options.SERVER, fileJson, System.getenv(), overrides));
    } catch (ConfigException e) {
      LOG.warning(() -> "config file change refused, keeping the running config: " + e.getMessage());
      return;
    }
    FleetConfig f = FleetConfig.of(cfg);
    if (applied != null && f.differences(applied).isEmpty()) {
      LOG.info("config file changed outside the fleet fields (" + String.join(", ", FleetConfig.KEYS)
          + "); other changes take effect at the next restart");
      return;
    }
    store.current().compose(cur -> {
      long next = Math.max(appliedVersion, cur == null ? 0 : cur.getLong("version", 0L)) + 1;
      LOG.info(() -> "config file changed (" + String.join(", ", f.differences(applied)) + "): publishing fleet config version " + next);
      return store.publish(entry(next, f));
    }).onFailure(e -> LOG.warning(() -> "cannot publish the fleet config: " + e.getMessage()));
  }

  /** Applies one config at a time, in order. */
  private Future<Void> apply(FleetConfig f, long version) {
    applying = applying.transform(x -> doApply(f, version));
    return applying;
  }

  private Future<Void> doApply(FleetConfig f, long version) {
    long now = System.currentTimeMillis();
    if (applied != null) {
      for (Secret old : applied.keys()) {
        if (!f.keys().contains(old) && f.keyRotationOverlapSeconds() > 0) {
          retiring.putIfAbsent(old.value(), now + f.keyRotationOverlapSeconds() * 1000L);
        }
      }
    }
    f.keys().forEach(k -> retiring.remove(k.value()));
    retiring.values().removeIf(until -> until <= now);
    List<Secret> accepted = new ArrayList<>(f.keys());
    retiring.keySet().forEach(k -> accepted.add(new Secret(k)));
    int window = ctx.config().tunnel().windowSeconds() - ctx.config().tunnel().slotSeconds() + f.slotSeconds();
    io.tt.common.schedule.PortRange range = io.tt.common.schedule.PortRange.parse(f.portRange());
    return vertx.executeBlocking(() -> io.tt.server.tun.TunPorts.forConfig(ctx.config(),
            ServerKeys.derive(accepted, f.methods(), range, f.slotSeconds(), window)), false)
        .compose(keys -> {
          ctx.keys(keys);
          applied = f;
          scheduleRetirement();
          return ctx.resyncPorts();
        })
        .onSuccess(v -> LOG.info(() -> "fleet config version " + version + " applied: " + f
            + (retiring.isEmpty() ? "" : ", " + retiring.size() + " retiring key(s) still accepted")))
        .onFailure(e -> LOG.warning(() -> "fleet config version " + version + " not applied: " + e.getMessage()));
  }

  private void scheduleRetirement() {
    vertx.cancelTimer(retireTimer);
    retiring.values().stream().min(Long::compare).ifPresent(until ->
        retireTimer = vertx.setTimer(Math.max(1, until - System.currentTimeMillis()), t -> apply(applied, appliedVersion)));
  }

  /** The version this member runs. */
  public long version() {
    return appliedVersion;
  }
}
