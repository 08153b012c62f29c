package io.tt.server.tun;

import io.netty.buffer.PooledByteBufAllocator;
import io.tt.common.config.ServerConfig;
import io.tt.common.config.TunConfig;
import io.tt.common.tun.TunDevice;
import io.tt.common.tun.TunDeviceOpener;
import io.tt.common.tun.TunReader;
import io.tt.common.tun.TunWriter;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpFlusher;
import io.tt.server.ServerContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;

import java.net.InetAddress;
import java.util.logging.Logger;

/**
 * The server's TUN mode: opens and addresses the TUN device, reads it on a dedicated thread into this verticle's
 * event loop, serves datagram sessions on the schedule's UDP ports (with {@code --tun-proto UDP}) and takes the
 * TUN streams the TCP listeners authenticate (always: a client may use either transport).
 */
public final class TunServerVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(TunServerVerticle.class.getName());
  private static final long STATS_LOG_MILLIS = 10_000;

  private final ServerContext ctx;
  private final TunDeviceOpener opener;
  private final TunServerStats stats = new TunServerStats();
  private TunDevice device;
  private TunWriter writer;
  private TunReader reader;
  private TunServer server;
  private UdpServerSessions sessions;
  private UdpServerPorts ports;
  private long statsTimer = -1;

  public TunServerVerticle(ServerContext ctx) {
    this(ctx, TunDeviceOpener.SYSTEM);
  }

  TunServerVerticle(ServerContext ctx, TunDeviceOpener opener) {
    this.ctx = ctx;
    this.opener = opener;
  }

  @Override
  public Future<?> start() {
    ServerConfig cfg = ctx.config();
    TunConfig tun = cfg.tun();
    return vertx.executeBlocking(() -> opener.open(tun)).compose(dev -> {
      device = dev;
      ContextInternal context = (ContextInternal) this.context;
      writer = TunWriter.start(dev);
      server = new TunServer(context, writer, stats,
          new TunServer.StreamSettings(cfg.tunnel().padding(), cfg.tunnel().frameSize(), tun.mtu()));
      reader = TunReader.create(dev, context);
      reader.handler(server::fromTun);
      reader.exceptionHandler(t -> LOG.fine(() -> "TUN: read error: " + t.getMessage()));
      reader.endHandler(v -> LOG.fine("TUN: device reader ended"));
      reader.start();
      Future<Void> udp = Future.succeededFuture();
      if (tun.proto() == TunConfig.Proto.UDP) {
        udp = vertx.executeBlocking(() -> InetAddress.getByName(cfg.listenHost())).compose(host -> {
          int max = UdpDatagram.maxLengthFor(tun.mtu());
          sessions = new UdpServerSessions(server, ctx, cfg.tunnel().padding(), max, max + 1024,
              new UdpFlusher(context.nettyEventLoop()), PooledByteBufAllocator.DEFAULT);
          ports = new UdpServerPorts(context, () -> ctx.keys().schedules(), ctx.clock(), host, max + 1024 + 1,
              sessions);
          return ports.start();
        });
      }
      ctx.tunStreams(server);
      statsTimer = vertx.setPeriodic(STATS_LOG_MILLIS, t -> logStats());
      return udp.onSuccess(v -> LOG.info(() -> "TT server TUN mode: device " + dev.name() + " " + tun.cidr()
          + " mtu " + tun.mtu() + "; clients over " + (tun.proto() == TunConfig.Proto.UDP ? "UDP and TCP" : "TCP")
          + (tun.portJump() ? "" : " on port " + cfg.tunnel().portRange().start() + " only")
          + "; forwarding follows the system route table (see docs/TUN.md for ip_forward and NAT)"));
    });
  }

  private void logStats() {
    LOG.fine(() -> "TUN: " + (sessions == null ? 0 : sessions.size()) + " udp sessions, "
        + server.routes().size() + " client addresses; in " + stats.datagramsIn.sum() + " datagrams, "
        + stats.packetsToTun.sum() + " packets to the device, " + stats.packetsFromTun.sum() + " from it; drops: "
        + stats.dropSummary());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(statsTimer);
    if (ctx.tunStreams() == server) {
      ctx.tunStreams(null);
    }
    if (ports != null) {
      ports.stop();
    }
    if (sessions != null) {
      sessions.closeAll();
    }
    if (server != null) {
      server.close();
    }
    Future<Void> readerEnded = reader == null ? Future.succeededFuture() : reader.close();
    return readerEnded.eventually(() -> {
      if (writer != null) {
        writer.close();
      }
      if (device != null) {
        device.close();
      }
      return Future.succeededFuture();
    });
  }

  /** Counters of this server's TUN mode. */
  public TunServerStats stats() {
    return stats;
  }

  /** UDP ports bound now (empty over TCP): for tests. */
  public java.util.Set<Integer> udpPorts() {
    return ports == null ? java.util.Set.of() : ports.boundPorts();
  }
}
