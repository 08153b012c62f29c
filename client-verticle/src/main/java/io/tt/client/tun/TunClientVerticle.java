package io.tt.client.tun;

import io.netty.buffer.ByteBuf;
import io.tt.client.ClientContext;
import io.tt.client.TunnelDialer;
import io.tt.common.config.ClientConfig;
import io.tt.common.config.TunConfig;
import io.tt.common.tun.IpPacket;
import io.tt.common.tun.TunDevice;
import io.tt.common.tun.TunDeviceOpener;
import io.tt.common.tun.TunReader;
import io.tt.common.tun.TunWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClientOptions;

import java.net.InetAddress;
import java.util.List;
import java.util.logging.Logger;

/**
 * The client's TUN mode: opens and addresses the TUN device, reads it on a dedicated thread into this verticle's
 * event loop and carries each packet to the server over UDP datagrams or a tunnel stream; what comes back is
 * written to the device. The kernel's routes decide what enters the device (the device's own subnet at least).
 */
public final class TunClientVerticle extends VerticleBase {

  private static final Logger LOG = Logger.getLogger(TunClientVerticle.class.getName());
  private static final long STATS_LOG_MILLIS = 10_000;

  private final ClientContext ctx;
  private final TunDeviceOpener opener;
  private final TunClientStats stats = new TunClientStats();
  private TunDevice device;
  private TunWriter writer;
  private TunReader reader;
  private TunUplink uplink;
  private long statsTimer = -1;

  public TunClientVerticle(ClientContext ctx) {
    this(ctx, TunDeviceOpener.SYSTEM);
  }

  TunClientVerticle(ClientContext ctx, TunDeviceOpener opener) {
    this.ctx = ctx;
    this.opener = opener;
  }

  @Override
  public Future<?> start() {
    ClientConfig cfg = ctx.config();
    TunConfig tun = cfg.tun();
    List<InetAddress> servers = ctx.picker().candidates();
    if (servers.isEmpty()) {
      return Future.failedFuture("TUN mode: no address for server " + String.join(",", cfg.servers()));
    }
    InetAddress server = servers.get(0);
    return vertx.executeBlocking(() -> opener.open(tun)).compose(dev -> {
      device = dev;
      ContextInternal context = (ContextInternal) this.context;
      writer = TunWriter.start(dev);
      if (tun.proto() == TunConfig.Proto.UDP) {
        uplink = new UdpTunnelClient(context, ctx.keys().key(), ctx.keys().method(), ctx.keys().schedule(),
            ctx.clock(), cfg.tunnel().windowSeconds(), server, cfg.tunnel().padding(), tun.mtu(),
            new TunAnnounce(tun.address()), stats, this::toTun);
      } else {
        TunnelDialer dialer = new TunnelDialer(vertx.createNetClient(new NetClientOptions()
            .setConnectTimeout(cfg.connectTimeoutMillis())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)), ctx.picker(), ctx.keys(), cfg.tunnel(), ctx.clock());
        uplink = new StreamTunnelClient(context, dialer, cfg.tunnel().padding(), tun.mtu(),
            new TunAnnounce(tun.address()), stats, this::toTun);
      }
      reader = TunReader.create(dev, context);
      reader.handler(uplink::send);
      reader.exceptionHandler(t -> LOG.fine(() -> "TUN: read error: " + t.getMessage()));
      return uplink.start().onSuccess(v -> {
        reader.start();
        statsTimer = vertx.setPeriodic(STATS_LOG_MILLIS, t -> LOG.fine(() -> "TUN: " + stats.packetsUp.sum()
            + " packets up, " + stats.packetsDown.sum() + " down, " + stats.portJumps.sum() + " port jumps, "
            + stats.reconnects.sum() + " reconnects; drops: " + stats.dropSummary()));
        LOG.info(() -> "TT client TUN mode: device " + dev.name() + " " + tun.cidr() + " mtu " + tun.mtu()
            + ", packets to " + server.getHostAddress() + " over " + tun.proto()
            + (tun.portJump() ? "" : " on port " + cfg.tunnel().portRange().start() + " only")
            + "; route more through it with `ip route add NET dev " + dev.name() + "` (docs/TUN.md)");
      });
    });
  }

  /** A packet from the server: into the device if it is an IP packet. Owns the buffer. */
  private void toTun(ByteBuf packet) {
    if (!IpPacket.isWellFormed(packet)) {
      stats.drop(ClientDrop.BAD_PACKET);
      packet.release();
      return;
    }
    int total = IpPacket.totalLength(packet);
    if (total < packet.readableBytes()) {
      packet.writerIndex(packet.readerIndex() + total);
    }
    if (!writer.write(packet)) {
      stats.drop(ClientDrop.BACKLOG);
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(statsTimer);
    if (uplink != null) {
      uplink.stop();
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

  public TunClientStats stats() {
    return stats;
  }
}
