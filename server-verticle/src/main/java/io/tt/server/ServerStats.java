package io.tt.server;

import io.tt.common.wire.ServerHandshake;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters the server keeps whether or not metrics are exported (tests and /metrics read them). */
public final class ServerStats {

  public final LongAdder tunnelsOpened = new LongAdder();
  public final LongAdder tunnelsOpen = new LongAdder();
  /** TT connections carrying mux streams, open now and opened in all (their streams count as tunnels). */
  public final LongAdder muxConnectionsOpen = new LongAdder();
  public final LongAdder muxConnectionsOpened = new LongAdder();
  public final LongAdder bytesFromClients = new LongAdder();
  public final LongAdder bytesToClients = new LongAdder();
  public final LongAdder portJumps = new LongAdder();
  /** Padding-only frames received (cover traffic), counted when their tunnel ends. */
  public final LongAdder coverFramesReceived = new LongAdder();
  public final LongAdder handshakeTimeouts = new LongAdder();
  /** Connections closed at once because too many were unauthenticated. */
  public final LongAdder limited = new LongAdder();
  private final Map<ServerHandshake.Rejection, LongAdder> rejections = new EnumMap<>(ServerHandshake.Rejection.class);

  public ServerStats() {
    for (ServerHandshake.Rejection r : ServerHandshake.Rejection.values()) {
      rejections.put(r, new LongAdder());
    }
  }

  /** Where handshake durations go (a histogram when metrics are on). */
  private volatile java.util.function.LongConsumer handshakeNanos = n -> { };

  public void onHandshakeNanos(java.util.function.LongConsumer sink) {
    this.handshakeNanos = sink;
  }

  private volatile java.util.function.LongConsumer clusterCheckNanos = n -> { };

  public void onClusterCheckNanos(java.util.function.LongConsumer sink) {
    this.clusterCheckNanos = sink;
  }

  /** How long the cluster-wide replay check of one new tunnel took. */
  public void clusterCheckTook(long nanos) {
    clusterCheckNanos.accept(nanos);
  }

  /** Accept to the server's first frame sent (target connected). */
  public void handshakeTook(long nanos) {
    handshakeNanos.accept(nanos);
  }

  public void rejected(ServerHandshake.Rejection r) {
    rejections.get(r).increment();
  }

  public long rejections(ServerHandshake.Rejection r) {
    return rejections.get(r).sum();
  }
}
