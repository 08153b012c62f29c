package io.tt.server;

import io.tt.common.net.LoopListeners;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The TCP ports of the schedule ({@link SlotPorts}): a NetServer per port, its connections handed to the tunnel
 * code; logs the port of now and the next jump, and counts the jumps.
 *
 * <p>Unbinding uses {@code NetServer.shutdown(timeout)}: in Vert.x 5 it closes the listening socket at once, sends
 * each accepted connection a shutdown event (by default the connection then schedules its own close after the
 * timeout) and closes whatever is still open when the timeout ends. {@code NetServer.close()} would end the
 * tunnels at once. Tunnels must outlive their port, so the timeout is effectively infinite and every tunnel
 * swallows the shutdown event (see {@link InboundTunnel}), so no per-connection close timer is started.
 * VertxShutdownSemanticsTest checks each of these facts.
 */
final class PortJumper extends SlotPorts<NetServer> {

  private static final Logger LOG = Logger.getLogger(PortJumper.class.getName());
  /** Grace given to connections of an unbound port: they end on their own long before. */
  static final long KEEP_CONNECTIONS_DAYS = 3650;

  private final Vertx vertx;
  private final String host;
  private final NetServerOptions options;
  private final LoopListeners listeners;
  private final BiConsumer<NetSocket, Integer> onConnect;
  private final boolean logs;
  private final ServerStats stats;
  private long lastSlot = Long.MIN_VALUE;

  /** @param logs whether this instance logs (every event-loop instance binds the same ports; one speaks) */
  PortJumper(Vertx vertx, ContextInternal context, Supplier<List<PortSchedule>> schedules, SlotClock clock,
             String host, NetServerOptions options, LoopListeners listeners, BiConsumer<NetSocket, Integer> onConnect,
             boolean logs, ServerStats stats) {
    super(context, schedules, clock);
    this.vertx = vertx;
    this.listeners = listeners;
    this.host = host;
    this.options = options;
    this.onConnect = onConnect;
    this.logs = logs;
    this.stats = stats;
  }

  @Override
  protected Future<NetServer> bind(int port) {
    return listeners.listen(vertx, options, so -> onConnect.accept(so, port), port, host);
  }

  @Override
  protected void unbind(int port, NetServer server) {
    listeners.release(host, port);
    server.shutdown(KEEP_CONNECTIONS_DAYS, TimeUnit.DAYS);
  }

  @Override
  protected void bindFailed(int port, Throwable cause) {
    if (logs) {
      LOG.log(Level.WARNING, "cannot listen on " + host + ":" + port + " (" + cause.getMessage() + "); retrying in "
          + BIND_RETRY_MILLIS / 1000 + " s");
    }
  }

  @Override
  protected void updated(long slot, PortSchedule schedule, TreeMap<Integer, Long> want, long nextSlotMillis) {
    if (slot != lastSlot && lastSlot != Long.MIN_VALUE) {
      stats.portJumps.increment();
    }
    lastSlot = slot;
    if (logs) {
      PortSchedule.Entry e = schedule.entry(slot);
      LOG.info(() -> "port " + e.port() + " is open now (slot " + slot + ", lifetime " + e.lifetime()
          + " slots); listening on " + want.size() + " ports; next jump at " + Instant.ofEpochMilli(nextSlotMillis)
          + " to port " + schedule.portFor(slot + 1));
      LOG.fine(() -> "listening ports: " + want.keySet());
    }
  }

  /** Stops jumping; the NetServers close with the verticle (tunnels are closed by their owner). */
  void stop() {
    stopUpdating();
  }
}
