package io.tt.client;

import io.tt.client.tun.TunClientPorts;
import io.tt.client.tun.TunClientVerticle;
import io.tt.common.config.ClientConfig;
import io.tt.common.crypto.Aeads;
import io.tt.common.net.HeapSend;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.time.Instant;
import java.util.logging.Logger;

/**
 * The TT client: validates its config, stretches the key off the event loop, resolves the servers, then deploys
 * one {@link ProxyListenerVerticle} per event loop on the local proxy address. Logs the port schedule.
 */
public final class ClientVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(ClientVerticle.class.getName());

  private final SlotClock clock;
  private ServerPicker picker;
  private long scheduleTimer = -1;

  public ClientVerticle() {
    this(SlotClock.SYSTEM);
  }

  /** With an injected clock: tests skew the client's clock against the server's. */
  public ClientVerticle(SlotClock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    ClientConfig cfg;
    try {
      cfg = ClientConfig.fromJson(config());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    picker = new ServerPicker(vertx, cfg.servers(), cfg.balance(), clock);
    return vertx.executeBlocking(() -> TunClientPorts.forConfig(cfg, ClientKeys.derive(cfg.tunnel())))
        .compose(keys -> picker.start().map(keys))
        .compose(keys -> {
          ClientContext ctx = new ClientContext(cfg, keys, picker, clock);
          logSchedule(keys.schedule());
          Future<?> tun = cfg.tun() == null ? Future.succeededFuture() : vertx.deployVerticle(new TunClientVerticle(ctx));
          return tun.compose(t -> vertx.deployVerticle(() -> new ProxyListenerVerticle(ctx),
              new DeploymentOptions().setInstances(cfg.instances())));
        })
        .onSuccess(id -> LOG.fine(() -> "crypto: " + Aeads.describe(cfg.tunnel().methods())
              + "; frames sent from heap arrays: " + HeapSend.describe()))
        .onSuccess(id -> LOG.info(() -> "TT client: HTTP and SOCKS5 proxy on " + cfg.listen() + ", server "
            + String.join(",", cfg.servers()) + " (" + picker.addresses().size() + " addresses), method "
            + cfg.tunnel().methods().get(0) + (vertx.isNativeTransportEnabled() ? " (epoll)" : " (NIO)")
            + "; try: curl -x socks5h://" + cfg.listen() + " https://example.com/"));
  }

  /** Says at every slot which server port is in use now and when the next jump is. */
  private void logSchedule(PortSchedule s) {
    long now = clock.millis();
    long slot = s.slotAt(now);
    long next = s.slotStartMillis(slot + 1);
    LOG.info(() -> "server port " + s.portFor(slot) + " now (slot " + slot + "); next jump at "
        + Instant.ofEpochMilli(next) + " to port " + s.portFor(slot + 1));
    scheduleTimer = vertx.setTimer(Math.max(1, next - now + 5), t -> logSchedule(s));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(scheduleTimer);
    if (picker != null) {
      picker.stop();
    }
    return Future.succeededFuture();
  }
}
