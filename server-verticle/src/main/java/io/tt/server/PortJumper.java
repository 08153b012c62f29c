package io.tt.server;

import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps exactly the ports of the schedule bound: at every slot boundary binds the ports that open and unbinds
 * the ports whose lifetime ended.
 *
 * <p>Unbinding uses {@code NetServer.shutdown(timeout)}: in Vert.x 5 it closes the listening socket at once, sends
 * each accepted connection a shutdown event (by default the connection then schedules its own close after the
 * timeout) and closes whatever is still open when the timeout ends. {@code NetServer.close()} would end the
 * tunnels at once. Tunnels must outlive their port, so the timeout is effectively infinite and every tunnel
 * swallows the shutdown event (see {@link InboundTunnel}), so no per-connection close timer is started.
 * VertxShutdownSemanticsTest checks each of these facts.
 */
final class PortJumper {

  private static final Logger LOG = Logger.getLogger(PortJumper.class.getName());
  /** Grace given to connections of an unbound port: they end on their own long before. */
  static final long KEEP_CONNECTIONS_DAYS = 3650;

  private final Vertx vertx;
  private final java.util.function.Supplier<List<PortSchedule>> schedules;
  private final SlotClock clock;
  private final String host;
  private final NetServerOptions options;
  private final BiConsumer<NetSocket, Integer> onConnect;
  private final boolean logs;
  private final ServerStats stats;
  private final Map<Integer, NetServer> bound = new HashMap<>();
  private long timerId = -1;
  /** A bind failed (the port busy): try again soon rather than at the next slot. */
  private long retryTimerId = -1;
  static final long BIND_RETRY_MILLIS = 2000;
  private long lastSlot = Long.MIN_VALUE;
  private boolean stopped;

  PortJumper(Vertx vertx, java.util.function.Supplier<List<PortSchedule>> schedules, SlotClock clock, String host, NetServerOptions options,
             BiConsumer<NetSocket, Integer> onConnect, boolean logs, ServerStats stats) {
    this.vertx = vertx;
    this.schedules = schedules;
    this.clock = clock;
    this.host = host;
    this.options = options;
    this.onConnect = onConnect;
    this.logs = logs;
    this.stats = stats;
  }

  /** Binds the ports of the current slot; completes when every bind attempt has finished. */
  Future<Void> start() {
    return update();
  }

  private Future<Void> update() {
    if (stopped) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    List<PortSchedule> all = schedules.get();
    PortSchedule first = all.get(0);
    long slot = first.slotAt(now);
    TreeMap<Integer, Long> want = PortSchedule.openPorts(all, slot);
    for (Integer port : new ArrayList<>(bound.keySet())) {
      if (!want.containsKey(port)) {
        unbind(port);
      }
    }
    List<Future<Void>> binds = new ArrayList<>();
    for (Integer port : want.keySet()) {
      if (!bound.containsKey(port)) {
        binds.add(bind(port));
      }
    }
    if (slot != lastSlot && lastSlot != Long.MIN_VALUE) {
      stats.portJumps.increment();
    }
    lastSlot = slot;
    long next = first.slotStartMillis(slot + 1);
    if (logs) {
      PortSchedule.Entry e = first.entry(slot);
      LOG.info(() -> "port " + e.port() + " is open now (slot " + slot + ", lifetime " + e.lifetime()
          + " slots); listening on " + want.size() + " ports; next jump at " + Instant.ofEpochMilli(next)
          + " to port " + first.portFor(slot + 1));
      LOG.fine(() -> "listening ports: " + want.keySet());
    }
    timerId = vertx.setTimer(Math.max(1, next - now + 5), t -> update());
    return Future.join(binds).mapEmpty();
  }

  private Future<Void> bind(int port) {
    NetServer server = vertx.createNetServer(options).connectHandler(so -> onConnect.accept(so, port));
    bound.put(port, server);
    return server.listen(port, host).<Void>mapEmpty().recover(err -> {
      bound.remove(port, server);
      if (logs) {
        LOG.log(Level.WARNING, "cannot listen on " + host + ":" + port + " (" + err.getMessage() + "); retrying in "
            + BIND_RETRY_MILLIS / 1000 + " s");
      }
      if (retryTimerId < 0 && !stopped) {
        retryTimerId = vertx.setTimer(BIND_RETRY_MILLIS, t -> {
          retryTimerId = -1;
          resync();
        });
      }
      return Future.succeededFuture();
    });
  }

  private void unbind(int port) {
    NetServer server = bound.remove(port);
    if (server != null) {
      server.shutdown(KEEP_CONNECTIONS_DAYS, TimeUnit.DAYS);
    }
  }

  /** Re-reads the clock now (it may have been moved, or the schedule changed) instead of at the next boundary. */
  Future<Void> resync() {
    vertx.cancelTimer(timerId);
    return update();
  }

  /** Ports bound right now by this instance. */
  java.util.Set<Integer> boundPorts() {
    return java.util.Set.copyOf(bound.keySet());
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timerId);
    vertx.cancelTimer(retryTimerId);
  }
}
