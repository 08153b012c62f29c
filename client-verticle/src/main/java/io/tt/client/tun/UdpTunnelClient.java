package io.tt.client.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.Direction;
import io.tt.common.wire.Padding;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpFlusher;
import io.tt.common.wire.UdpHeaderCipher;
import io.tt.common.wire.UdpKeys;
import io.tt.common.wire.UdpOpener;
import io.tt.common.wire.UdpSealer;
import io.tt.common.wire.UdpSockets;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The client's TUN mode over UDP: one datagram session (random 64-bit id) for as long as the client runs, sent
 * to the port of the current slot. At each slot boundary it opens a new socket (a new source port too) for the
 * new slot's port and says so with a keep-alive; the previous socket stays open for a while to take late replies.
 * The server keeps the session across the change: it answers wherever the last authenticated datagram came from.
 * TUN context only.
 */
final class UdpTunnelClient implements TunUplink {

  private static final Logger LOG = Logger.getLogger(UdpTunnelClient.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Longest silence before a keep-alive: well under the server's session lifetime and common NAT timeouts. */
  static final long KEEPALIVE_MILLIS = 10_000;
  /** How long the previous slot's socket keeps taking replies after a jump. */
  static final long DRAIN_MILLIS = 5_000;

  /** One socket, to one server port. */
  private record Path(Channel channel, int port, InetSocketAddress to) {
  }

  private final ContextInternal context;
  private final InetAddress server;
  private final PortSchedule schedule;
  private final SlotClock clock;
  private final Padding padding;
  private final int maxDatagram;
  private final TunClientStats stats;
  private final Consumer<ByteBuf> toTun;
  private final TunAnnounce announce;
  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private final long sessionId = RANDOM.nextLong();
  private final UdpHeaderCipher header;
  private final UdpSealer sealer;
  private final UdpOpener opener;
  private final UdpFlusher flusher;
  private final ChannelHandler reader = new Reader();
  private Path current;
  private Path previous;
  private long slotTimer = -1;
  private long keepAliveTimer = -1;
  private long lastSentMillis;
  private boolean stopped;

  UdpTunnelClient(ContextInternal context, MasterKey key, AeadMethod method, PortSchedule schedule, SlotClock clock,
                  int windowSeconds, InetAddress server, Padding padding, int tunMtu, TunAnnounce announce,
                  TunClientStats stats, Consumer<ByteBuf> toTun) {
    this.context = context;
    this.server = server;
    this.schedule = schedule;
    this.clock = clock;
    this.padding = padding;
    this.maxDatagram = UdpDatagram.maxLengthFor(tunMtu);
    this.stats = stats;
    this.toTun = toTun;
    this.announce = announce;
    this.header = UdpHeaderCipher.of(key);
    this.sealer = new UdpSealer(header, sessionId, method,
        UdpKeys.key(key, sessionId, Direction.CLIENT_TO_SERVER, method));
    this.opener = new UdpOpener(method, UdpKeys.key(key, sessionId, Direction.SERVER_TO_CLIENT, method),
        windowSeconds);
    this.flusher = new UdpFlusher(context.nettyEventLoop());
  }

  @Override
  public Future<Void> start() {
    keepAliveTimer = context.setPeriodic(KEEPALIVE_MILLIS / 2, t -> keepAliveIfQuiet());
    return jump();
  }

  /** Moves to the current slot's port (if it changed) and arms the timer for the next boundary. */
  private Future<Void> jump() {
    if (stopped) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    long slot = schedule.slotAt(now);
    int port = schedule.portFor(slot);
    slotTimer = context.setTimer(Math.max(1, schedule.slotStartMillis(slot + 1) - now + 5), t -> jump());
    if (current != null && current.port() == port) {
      return Future.succeededFuture();
    }
    InetSocketAddress local = new InetSocketAddress(server instanceof Inet6Address ? "::" : "0.0.0.0", 0);
    return UdpSockets.bind(context, local, maxDatagram + 1024 + 1, reader).map(ch -> {
      if (stopped) {
        ch.close();
        return null;
      }
      if (previous != null) {
        previous.channel().close();
      }
      previous = current;
      current = new Path(ch, port, new InetSocketAddress(server, port));
      if (previous != null) {
        stats.portJumps.increment();
        Channel old = previous.channel();
        context.setTimer(DRAIN_MILLIS, t -> old.close());
      }
      LOG.info(() -> "TUN: datagrams now go to " + server.getHostAddress() + " port " + port + " (slot " + slot + ")");
      keepAlive(); // tells the server where the session is now, before any packet needs it
      return null;
    });
  }

  @Override
  public void send(ByteBuf packet) {
    try {
      Path p = current;
      if (p == null) {
        stats.drop(ClientDrop.NO_TUNNEL);
        return;
      }
      int len = packet.readableBytes();
      int room = maxDatagram - UdpDatagram.length(len, 0);
      int pad = Math.min(Math.max(room, 0), padding.padFor(len, false));
      write(p, UdpDatagram.TYPE_PACKET, packet, pad);
      stats.packetsUp.increment();
    } finally {
      packet.release();
    }
  }

  private void keepAliveIfQuiet() {
    if (current != null && clock.millis() - lastSentMillis >= KEEPALIVE_MILLIS) {
      keepAlive();
    }
  }

  /**
   * Keeps the session (and NAT mappings) alive and tells the server where it is now: the announce packet where
   * there is one (it also tells the server our TUN address, should it have restarted), else a keep-alive.
   */
  private void keepAlive() {
    int pad = Math.min(ThreadLocalRandom.current().nextInt(Padding.MAX + 1), maxDatagram - UdpDatagram.MIN_LENGTH
        - (announce.exists() ? 28 : 0));
    if (announce.exists()) {
      ByteBuf p = announce.packet(alloc);
      try {
        write(current, UdpDatagram.TYPE_PACKET, p, pad);
      } finally {
        p.release();
      }
    } else {
      write(current, UdpDatagram.TYPE_KEEPALIVE, null, pad);
    }
  }

  private void write(Path p, int type, ByteBuf payload, int pad) {
    Channel ch = p.channel();
    if (!ch.isWritable()) {
      stats.drop(ClientDrop.BACKLOG);
      return;
    }
    long now = clock.millis();
    int len = payload == null ? 0 : payload.readableBytes();
    ByteBuf out = alloc.directBuffer(UdpDatagram.length(len, pad));
    try {
      sealer.seal(type, now / 1000, payload, pad, p.port(), out);
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    ch.write(new DatagramPacket(out, p.to()), ch.voidPromise());
    flusher.needsFlush(ch);
    lastSentMillis = now;
  }

  /** A datagram from the server on any of our sockets. */
  private void receive(ByteBuf d, InetSocketAddress sender) {
    int len = d.readableBytes();
    if (len < UdpDatagram.MIN_LENGTH || len > maxDatagram + 1024 || !sender.getAddress().equals(server)) {
      stats.drop(ClientDrop.BAD_DATAGRAM);
      return;
    }
    header.decrypt(d, d.readerIndex());
    if (header.sessionId() != sessionId) {
      stats.drop(ClientDrop.BAD_DATAGRAM);
      return;
    }
    ByteBuf out = alloc.directBuffer(len);
    UdpOpener.Result r = opener.open(header.packetNumber(), d, sender.getPort(), clock.millis(), out);
    switch (r) {
      case PACKET -> {
        stats.packetsDown.increment();
        toTun.accept(out);
      }
      case KEEPALIVE -> out.release();
      default -> {
        stats.drop(r == UdpOpener.Result.REPLAYED ? ClientDrop.REPLAYED
            : r == UdpOpener.Result.STALE ? ClientDrop.STALE : ClientDrop.BAD_DATAGRAM);
        out.release();
      }
    }
  }

  @Override
  public void stop() {
    stopped = true;
    context.owner().cancelTimer(slotTimer);
    context.owner().cancelTimer(keepAliveTimer);
    if (current != null) {
      current.channel().close();
    }
    if (previous != null) {
      previous.channel().close();
    }
    sealer.release();
  }

  /** The server port datagrams go to now (tests). */
  int currentPort() {
    Path p = current;
    return p == null ? -1 : p.port();
  }

  @ChannelHandler.Sharable
  private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
      try {
        receive(msg.content(), msg.sender());
      } catch (RuntimeException e) {
        stats.drop(ClientDrop.ERROR);
        LOG.fine(() -> "TUN: datagram handling failed: " + e);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.fine(() -> "TUN: UDP socket error: " + cause);
    }
  }
}
