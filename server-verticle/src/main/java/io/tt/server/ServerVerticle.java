package io.tt.server;

import io.tt.common.config.ServerConfig;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.LocalReplayFilter;
import io.tt.server.fakesite.Fallback;
import io.tt.server.fakesite.Fallbacks;
import io.tt.server.tun.TunPorts;
import io.tt.server.tun.TunServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.logging.Logger;

/**
 * The TT server: validates its config, stretches the keys off the event loop, then deploys one
 * {@link TunnelListenerVerticle} per event loop. Config comes from {@code config()} (the JSON keys are the long
 * option names).
 */
public final class ServerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ServerVerticle.class.getName());

  private final SlotClock clock;
  private ServerContext context;

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
    Fallback fallback = Fallbacks.create(vertx, cfg.fallback() == null ? null : cfg.fallback().toString());
    return vertx.executeBlocking(() -> TunPorts.forConfig(cfg, ServerKeys.derive(cfg.tunnel()))).compose(keys -> {
      long retention = 2L * cfg.tunnel().windowSeconds() * 1000L;
      context = new ServerContext(cfg, keys, clock, new LocalReplayFilter(retention, cfg.replayCapacity()),
          fallback);
      // TUN mode first: its device must be up before a TUN stream can arrive on the listeners.
      Future<?> tun = cfg.tun() == null ? Future.succeededFuture() : vertx.deployVerticle(new TunServerVerticle(context));
      return tun.compose(t -> vertx.deployVerticle(() -> new TunnelListenerVerticle(context),
          new DeploymentOptions().setInstances(cfg.instances())));
    }).onSuccess(id -> LOG.info(() -> "TT server listening on " + cfg.listenHost() + ", ports " + cfg.tunnel().portRange()
        + ", methods " + cfg.tunnel().methods() + ", " + cfg.instances() + " event loops"
        + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (NIO)")));
  }

  /** The running server's shared state (stats, replay filter): for tests and metrics. */
  public ServerContext context() {
    return context;
  }
}
