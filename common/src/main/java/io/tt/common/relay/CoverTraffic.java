package io.tt.common.relay;

import io.tt.common.wire.Padding;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Cover traffic for the tunnels of one event loop: a tunnel idle for a while sends padding-only frames at random
 * (exponentially distributed) intervals, so an observer cannot tell idle tunnels from active ones by silence.
 * One periodic timer per event loop, however many tunnels; must be used from that event loop only.
 */
public final class CoverTraffic {

  /** A connection that can send cover: a tunnel's relay, or a mux connection. */
  public interface Covered {
    boolean isClosed();

    /** Nanoseconds since this side last sent anything. */
    long idleNanos();

    /** Sends a frame of padding only, unless the connection is backed up. */
    void sendCover(int padLength);
  }

  private final long meanNanos;
  private static final class Watched {
    final Covered relay;
    long due;

    Watched(Covered relay, long due) {
      this.relay = relay;
      this.due = due;
    }
  }

  private final List<Watched> watched = new ArrayList<>();
  private final long timer;
  private final Vertx vertx;

  /** @param meanIntervalMillis mean gap between cover frames on an idle tunnel */
  public CoverTraffic(Vertx vertx, long meanIntervalMillis) {
    this.vertx = vertx;
    this.meanNanos = meanIntervalMillis * 1_000_000L;
    this.timer = vertx.setPeriodic(Math.max(50, Math.min(1000, meanIntervalMillis / 4)), t -> tick());
  }

  public void add(Covered relay) {
    watched.add(new Watched(relay, System.nanoTime() + nextGap()));
  }

  private long nextGap() {
    // Exponential gaps: the next frame's time says nothing about the last one's.
    return (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) * meanNanos);
  }

  private void tick() {
    long now = System.nanoTime();
    for (int i = watched.size() - 1; i >= 0; i--) {
      Watched w = watched.get(i);
      if (w.relay.isClosed()) {
        int last = watched.size() - 1;
        watched.set(i, watched.get(last));
        watched.remove(last);
        continue;
      }
      if (w.due <= now) {
        if (w.relay.idleNanos() >= meanNanos / 2) {
          w.relay.sendCover(ThreadLocalRandom.current().nextInt(Padding.MAX + 1));
        }
        w.due = now + nextGap();
      }
    }
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  /** Tunnels watched now. */
  public int size() {
    return watched.size();
  }
}
