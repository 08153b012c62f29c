package io.tt.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tt.common.wire.ServerHandshake;
import io.tt.server.ServerContext;
import io.tt.server.ServerStats;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * TT's own meters, read from the server's counters at scrape time (nothing on the hot path). Labels are fixed
 * words only: never a key, a client address or a target host.
 */
public final class TtMeters {

  private TtMeters() {
  }

  public static void bind(MeterRegistry r, ServerContext ctx) {
    ServerStats s = ctx.stats();
    Gauge.builder("tt_tunnels_open", s.tunnelsOpen, a -> a.sum()).description("Tunnels open now").register(r);
    FunctionCounter.builder("tt_tunnels", s.tunnelsOpened, a -> a.sum()).description("Tunnels opened").register(r);
    Gauge.builder("tt_mux_connections_open", s.muxConnectionsOpen, a -> a.sum())
        .description("TT connections carrying mux streams, open now").register(r);
    FunctionCounter.builder("tt_mux_connections", s.muxConnectionsOpened, a -> a.sum())
        .description("TT connections that carried mux streams").register(r);
    FunctionCounter.builder("tt_bytes", s.bytesFromClients, a -> a.sum()).tag("direction", "from_client")
        .baseUnit("bytes").description("Payload bytes through the tunnels").register(r);
    FunctionCounter.builder("tt_bytes", s.bytesToClients, a -> a.sum()).tag("direction", "to_client")
        .baseUnit("bytes").description("Payload bytes through the tunnels").register(r);
    for (ServerHandshake.Rejection why : ServerHandshake.Rejection.values()) {
      FunctionCounter.builder("tt_auth_failures", s, st -> st.rejections(why))
          .tag("reason", why.name().toLowerCase(Locale.ROOT))
          .description("Connections that did not authenticate, handed to the fake site").register(r);
    }
    FunctionCounter.builder("tt_handshake_timeouts", s.handshakeTimeouts, a -> a.sum())
        .description("Connections that sent nothing usable before the handshake deadline").register(r);
    FunctionCounter.builder("tt_unauthenticated_limited", s.limited, a -> a.sum())
        .description("Connections closed without a word: too many unauthenticated ones in total or from their address").register(r);
    FunctionCounter.builder("tt_port_jumps", s.portJumps, a -> a.sum()).description("Slot changes").register(r);
    FunctionCounter.builder("tt_cover_frames", s.coverFramesReceived, a -> a.sum())
        .description("Padding-only frames received").register(r);
    Gauge.builder("tt_open_ports", ctx, c -> c.boundPorts().size()).description("Ports bound now").register(r);
    Gauge.builder("tt_replay_filter_salts", ctx, c -> c.replayFilter().size())
        .description("Salts held by the replay filter").register(r);
    // Gauges hold their object weakly: the context lives as long as the server, a lambda would not.
    Gauge.builder("tt_cluster_members", ctx, ServerContext::clusterMembers)
        .description("Members of the server cluster (1 when not clustered)").register(r);
    Timer handshake = Timer.builder("tt_handshake").description("From accept until the target is connected and the reply is ready")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofSeconds(10))
        .register(r);
    s.onHandshakeNanos(n -> handshake.record(n, TimeUnit.NANOSECONDS));
  }
}
