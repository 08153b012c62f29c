package io.tt.client;

import io.tt.common.mux.MuxLink;
import io.tt.common.relay.CoverTraffic;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * The mux connections of one event loop's proxy connections: a new proxied connection becomes a stream on a
 * connection of the current slot that has room (at most {@code mux} streams each), or on a new one. When the slot
 * ends (the port moves on) a connection takes no new streams and closes once its last stream ends; an idle one
 * closes after {@code mux-idle} seconds. Used from its event loop only.
 */
final class MuxPool {

  private final ClientContext ctx;
  private final TunnelDialer dialer;
  private final Vertx vertx;
  /** Null when cover traffic is off. */
  private final CoverTraffic cover;
  private final List<MuxConnection> connections = new ArrayList<>();
  private final int maxStreams;
  private final long idleNanos;
  private final long sweep;

  MuxPool(ClientContext ctx, TunnelDialer dialer, Vertx vertx, CoverTraffic cover) {
    this.ctx = ctx;
    this.dialer = dialer;
    this.vertx = vertx;
    this.cover = cover;
    this.maxStreams = ctx.config().muxStreams();
    this.idleNanos = ctx.config().muxIdleSeconds() * 1_000_000_000L;
    this.sweep = vertx.setPeriodic(1000, t -> sweep());
  }

  long receiveWindow() {
    return ctx.config().muxWindow();
  }

  void cover(MuxLink link) {
    if (cover != null) {
      cover.add(link);
    }
  }

  private long slotNow() {
    return ctx.keys().schedule().slotAt(ctx.clock().millis());
  }

  /** Opens a stream for {@code r} on a connection with room, dialling one if there is none. */
  void open(MuxConnection.Request r) {
    long slot = slotNow();
    MuxConnection c = null;
    for (int i = connections.size() - 1; i >= 0; i--) {
      MuxConnection m = connections.get(i);
      if (m.takesStreams(slot, maxStreams)) {
        c = m;
        break;
      }
    }
    if (c == null) {
      c = new MuxConnection(this, slot);
      connections.add(c);
      c.dial(dialer);
    }
    c.open(r);
  }

  void closed(MuxConnection c) {
    connections.remove(c);
  }

  /** Retires connections of a past slot and closes idle ones. */
  private void sweep() {
    long slot = slotNow();
    for (MuxConnection c : List.copyOf(connections)) {
      if (c.slot != slot) {
        c.retire();
      } else if (c.idleLongerThan(idleNanos)) {
        c.close();
      }
    }
  }

  /** Mux connections open now (tests). */
  int size() {
    return connections.size();
  }

  void stop() {
    vertx.cancelTimer(sweep);
    for (MuxConnection c : List.copyOf(connections)) {
      c.close();
    }
  }
}
