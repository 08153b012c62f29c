package io.tt.server;

import io.tt.common.config.ServerConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One per event loop: binds the schedule's ports (a listening socket per event loop and port: {@link
 * io.tt.common.net.LoopListeners}) and serves the tunnels accepted on this event loop.
 */
final class TunnelListenerVerticle extends VerticleBase {

  private final ServerContext ctx;
  private final Set<InboundTunnel> live = new HashSet<>();
  private PortJumper jumper;
  private long idleSweep;

  TunnelListenerVerticle(ServerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    ServerConfig cfg = ctx.config();
    NetClient client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(cfg.connectTimeoutMillis())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    NetServerOptions opts = new NetServerOptions()
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setReuseAddress(true)
        .setAcceptBacklog(1024)
        .setTcpFastOpen(vertx.isNativeTransportEnabled());
    jumper = new PortJumper(vertx, (io.vertx.core.internal.ContextInternal) context, () -> ctx.keys().schedules(),
        ctx.clock(), cfg.listenHost(), opts, ctx.tunnelPorts(),
        (so, port) -> new InboundTunnel(ctx, vertx, so, port, client, live).start(),
        ctx.nextInstanceIndex() == 0, ctx.stats());
    ctx.register(this);
    long idleNanos = cfg.muxIdleSeconds() * 1_000_000_000L;
    idleSweep = vertx.setPeriodic(Math.min(30_000, cfg.muxIdleSeconds() * 1000L / 2 + 1), t -> {
      for (InboundTunnel tunnel : List.copyOf(live)) {
        if (tunnel.idleMuxLongerThan(idleNanos)) {
          tunnel.close();
        }
      }
    });
    return jumper.start();
  }

  /** Runs the port jumper now, on this verticle's event loop. */
  Future<Void> resyncPorts() {
    return io.vertx.core.Future.<Future<Void>>future(p -> context.runOnContext(v -> p.complete(jumper.resync())))
        .compose(f -> f);
  }

  @Override
  public Future<?> stop() {
    ctx.unregister(this);
    vertx.cancelTimer(idleSweep);
    jumper.stop();
    for (InboundTunnel t : List.copyOf(live)) {
      t.close();
    }
    return Future.succeededFuture();
  }

  Set<Integer> boundPorts() {
    return jumper.boundPorts();
  }
}
