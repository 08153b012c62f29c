package io.tt.client;

import io.tt.common.config.ClientConfig;
import io.tt.common.relay.CoverTraffic;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;

/**
 * One per event loop: the local HTTP+SOCKS5 proxy port (a listening socket per event loop: {@link
 * io.tt.common.net.LoopListeners}) and the tunnels of the connections accepted on this event loop.
 */
final class ProxyListenerVerticle extends VerticleBase {

  private final ClientContext ctx;
  private CoverTraffic cover;
  /** Null when mux is off. */
  private MuxPool muxes;

  ProxyListenerVerticle(ClientContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    ClientConfig cfg = ctx.config();
    if (cfg.coverTrafficMillis() > 0) {
      cover = new CoverTraffic(vertx, cfg.coverTrafficMillis());
    }
    TunnelDialer dialer = new TunnelDialer(vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout(cfg.connectTimeoutMillis())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true)
        .setTcpFastOpen(vertx.isNativeTransportEnabled())), ctx.picker(), ctx.keys(), cfg.tunnel(), ctx.clock());
    NetServerOptions options = new NetServerOptions()
        .setTcpNoDelay(true)
        .setReuseAddress(true)
        .setAcceptBacklog(1024);
    muxes = cfg.muxStreams() > 0 ? new MuxPool(ctx, dialer, vertx, cover) : null;
    return ctx.listeners().listen(vertx, options, so -> new ProxyInbound(ctx, dialer, muxes, vertx, so, cover).start(),
        cfg.listen().port(), cfg.listen().host());
  }

  @Override
  public Future<?> stop() {
    if (cover != null) {
      cover.stop();
    }
    if (muxes != null) {
      muxes.stop();
    }
    return Future.succeededFuture();
  }
}
