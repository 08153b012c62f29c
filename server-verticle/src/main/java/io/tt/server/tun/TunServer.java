package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.tt.common.tun.IpPacket;
import io.tt.common.tun.TunWriter;
import io.vertx.core.Context;
import io.vertx.core.internal.ContextInternal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The packet switch of the server's TUN mode. Packets from clients go into the TUN device (the kernel forwards
 * them by its route table); packets out of the device go to the client that owns their destination address.
 *
 * <p>Runs on one event loop, the TUN context: the device reader delivers there, the UDP ports live there, and the
 * route table is touched only there. Tunnel streams live on other event loops; they write into the device
 * directly (the writer takes packets from any thread) and post route changes here.
 */
final class TunServer implements TunStreamAcceptor {

  private static final Logger LOG = Logger.getLogger(TunServer.class.getName());

  private final ContextInternal context;
  private final EventLoop loop;
  private final TunWriter writer;
  private final TunRoutes routes = new TunRoutes();
  private final TunServerStats stats;
  private final StreamSettings streamSettings;
  private final Set<TunStreamSession> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** What a tunnel stream needs besides its handoff. */
  record StreamSettings(io.tt.common.wire.Padding padding, int frameSize, int mtu) {
  }

  TunServer(Context context, TunWriter writer, TunServerStats stats, StreamSettings streamSettings) {
    this.context = (ContextInternal) context;
    this.loop = this.context.nettyEventLoop();
    this.writer = writer;
    this.stats = stats;
    this.streamSettings = streamSettings;
  }

  // ---- from the TUN device (TUN context) ----

  /** A packet the kernel routed into the TUN device: to the client owning its destination. Owns the buffer. */
  void fromTun(ByteBuf packet) {
    stats.packetsFromTun.increment();
    if (!IpPacket.isWellFormed(packet)) {
      stats.drop(TunDrop.BAD_PACKET);
      packet.release();
      return;
    }
    TunPeer peer = routes.lookup(packet);
    if (peer == null) {
      stats.drop(TunDrop.NO_ROUTE);
      packet.release();
      return;
    }
    peer.send(packet);
  }

  // ---- from clients (any thread) ----

  /**
   * An authenticated packet from a client: learns its source address for the client and writes it to the device.
   * Owns the buffer (its readable bytes are the packet).
   */
  void toTun(ByteBuf packet, TunPeer from, LearnedSource learned) {
    if (!IpPacket.isWellFormed(packet)) {
      stats.drop(TunDrop.BAD_PACKET);
      packet.release();
      return;
    }
    int total = IpPacket.totalLength(packet);
    if (total < packet.readableBytes()) {
      packet.writerIndex(packet.readerIndex() + total); // what a sender appended after the packet is not the packet's
    }
    if (learned.changed(packet)) {
      learn(packet, from, learned);
    }
    stats.packetsToTun.increment();
    if (!writer.write(packet)) {
      stats.drop(TunDrop.BACKLOG);
    }
  }

  private void learn(ByteBuf packet, TunPeer from, LearnedSource learned) {
    int version = IpPacket.version(packet);
    int v4 = version == 4 ? IpPacket.ipv4Source(packet) : 0;
    long hi = version == 6 ? IpPacket.ipv6SourceHigh(packet) : 0;
    long lo = version == 6 ? IpPacket.ipv6SourceLow(packet) : 0;
    learned.remember(packet);
    Runnable learn = () -> {
      if (closed) {
        return;
      }
      boolean moved = version == 4 && routes.ownerV4(v4) != from;
      boolean ok = version == 4 ? routes.learnV4(v4, from) : routes.learnV6(hi, lo, from);
      if (!ok) {
        stats.drop(TunDrop.LIMIT); // the table is full: this address stays unreachable until its owner changes
      } else if (moved) {
        LOG.fine(() -> "TUN: " + IpPacket.ipv4ToString(v4) + " is at " + from.describe());
      }
    };
    if (loop.inEventLoop()) {
      learn.run();
    } else {
      loop.execute(learn); // rare: only when a client's source address changes
    }
  }

  /** A client is gone: forget its addresses (from any thread). */
  void forget(TunPeer peer) {
    if (loop.inEventLoop()) {
      routes.remove(peer);
    } else {
      loop.execute(() -> routes.remove(peer));
    }
  }

  // ---- tunnel streams ----

  @Override
  public void accept(TunStreamHandoff h) {
    if (closed) {
      h.socket().close();
      release(h);
      return;
    }
    TunStreamSession s = new TunStreamSession(this, h, streamSettings, stats);
    streams.add(s);
    stats.streamsOpened.increment();
    s.start();
  }

  void streamClosed(TunStreamSession s) {
    streams.remove(s);
    forget(s);
  }

  private static void release(TunStreamHandoff h) {
    if (h.firstData() != null && h.firstData().refCnt() > 0) {
      h.firstData().release();
    }
    if (h.early() != null && h.early().refCnt() > 0) {
      h.early().release();
    }
    h.decoder().release();
  }

  // ---- life ----

  ContextInternal context() {
    return context;
  }

  TunServerStats stats() {
    return stats;
  }

  TunRoutes routes() {
    return routes;
  }

  /** Ends every stream; the device and its reader and writer are closed by the verticle. */
  void close() {
    closed = true;
    for (TunStreamSession s : Set.copyOf(streams)) {
      s.close();
    }
  }
}
