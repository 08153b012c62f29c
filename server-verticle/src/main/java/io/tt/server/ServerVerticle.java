package io.tt.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tt.common.config.ServerConfig;
import io.tt.common.crypto.Aeads;
import io.tt.common.net.HeapSend;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.server.cluster.ClusterReplayCheck;
import io.tt.server.fakesite.Fallback;
import io.tt.server.fakesite.Fallbacks;
import io.tt.server.fleet.ClusterFleetStore;
import io.tt.server.fleet.FleetSync;
import io.tt.server.fleet.LocalFleetStore;
import io.tt.server.metrics.MetricsEndpoint;
import io.tt.server.metrics.TtMeters;
import io.tt.server.tun.TunPorts;
import io.tt.server.tun.TunServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The TT server: validates its config, stretches the keys off the event loop, deploys one
 * {@link TunnelListenerVerticle} per event loop, keeps the fleet config live ({@link FleetSync}), and serves
 * metrics when asked to. Config comes from {@code config()} (the JSON keys are the long option names).
 */
public final class ServerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ServerVerticle.class.getName());

  private final SlotClock clock;
  private ServerContext context;
  private FleetSync fleet;
  private volatile boolean started;

  public ServerVerticle() {
    this(SlotClock.SYSTEM);
  }

  /** With an injected clock: tests move time and skew clocks with it. */
  public ServerVerticle(SlotClock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    ServerConfig cfg;
    try {
      cfg = ServerConfig.fromJson(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Fallback fallback = cfg.fallback() != null ? Fallbacks.create(vertx, cfg.fallback().toString())
        : new io.tt.server.fakesite.BuiltInSite(vertx, new io.tt.server.fakesite.BuiltInSite.Options()
            .headerTimeout(java.time.Duration.ofMillis(cfg.siteHeaderTimeoutMillis())));
    return vertx.executeBlocking(() -> TunPorts.forConfig(cfg, ServerKeys.derive(cfg.tunnel()))).compose(keys -> {
      long retention = 2L * cfg.tunnel().windowSeconds() * 1000L;
      context = new ServerContext(cfg, keys, clock, new LocalReplayFilter(retention, cfg.replayCapacity()), fallback);
      String member = "local";
      if (vertx.isClustered()) {
        ClusterManager cm = ((VertxInternal) vertx).clusterManager();
        member = cm.getNodeId();
        context.clustered(new ClusterReplayCheck(vertx, retention, member), () -> cm.getNodes().size());
      }
      fleet = new FleetSync(vertx, context, vertx.isClustered() ? new ClusterFleetStore(vertx) : new LocalFleetStore(),
          config(), member);
      // TUN mode first: its device must be up before a TUN stream can arrive on the listeners.
      Future<?> tun = cfg.tun() == null ? Future.succeededFuture() : vertx.deployVerticle(new TunServerVerticle(context));
      return tun.compose(t -> vertx.deployVerticle(() -> new TunnelListenerVerticle(context),
          new DeploymentOptions().setInstances(cfg.instances())));
    }).compose(id -> fleet.start())
        .compose(v -> cfg.metricsListen() == null ? Future.succeededFuture() : startMetrics(cfg))
        .onSuccess(v -> {
          started = true;
          LOG.fine(() -> "crypto: " + Aeads.describe(cfg.tunnel().methods())
              + "; frames sent from heap arrays: " + HeapSend.describe());
          LOG.info(() -> "TT server listening on " + cfg.listenHost() + ", ports " + cfg.tunnel().portRange()
              + ", methods " + cfg.tunnel().methods() + ", " + cfg.instances() + " event loops"
              + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (NIO)")
              + (vertx.isClustered() ? ", cluster of " + context.clusterMembers() : "")
              + (cfg.metricsListen() == null ? "" : ", metrics on http://" + cfg.metricsListen() + "/metrics"));
        });
  }

  private Future<HttpServer> startMetrics(ServerConfig cfg) {
    MeterRegistry shared = BackendRegistries.getNow(ServerVertx.registryName(config()));
    PrometheusMeterRegistry registry = shared instanceof PrometheusMeterRegistry p ? p
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT); // a Vert.x built without metrics: TT's meters only
    TtMeters.bind(registry, context);
    if (vertx.isClustered()) {
      Timer clusterCheck = Timer.builder("tt_cluster_replay_check")
          .description("The cluster-wide replay check added to a new tunnel's handshake")
          .publishPercentileHistogram().register(registry);
      context.stats().onClusterCheckNanos(n -> clusterCheck.record(n, TimeUnit.NANOSECONDS));
    }
    return MetricsEndpoint.start(vertx, cfg.metricsListen(), registry,
        () -> started && !context.boundPorts().isEmpty());
  }

  @Override
  public Future<?> stop() {
    if (fleet != null) {
      fleet.stop();
    }
    return Future.succeededFuture();
  }

  /** The running server's shared state (stats, replay filter): for tests and metrics. */
  public ServerContext context() {
    return context;
  }

  /** The fleet config version this server runs. */
  public long fleetVersion() {
    return fleet.version();
  }
}
