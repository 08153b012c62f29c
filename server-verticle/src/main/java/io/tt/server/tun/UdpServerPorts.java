package io.tt.server.tun;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.UdpSockets;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Keeps the UDP ports of the schedule bound, like the TCP port jumper: at every slot boundary binds the ports that
 * open and closes those whose lifetime ended (same ports, same lifetimes). Closing a port ends nothing else:
 * sessions are not tied to ports, and their clients have moved to the new slot's port by then. TUN context only.
 */
final class UdpServerPorts {

  private static final Logger LOG = Logger.getLogger(UdpServerPorts.class.getName());

  private final ContextInternal context;
  private final Supplier<List<PortSchedule>> schedules;
  private final SlotClock clock;
  private final InetAddress host;
  private final int receiveBuffer;
  private final UdpServerSessions sessions;
  private final Map<Integer, Channel> bound = new HashMap<>();
  private final ChannelHandler handler = new Reader();
  private long timer = -1;
  private boolean stopped;

  UdpServerPorts(ContextInternal context, Supplier<List<PortSchedule>> schedules, SlotClock clock, InetAddress host,
                 int receiveBuffer, UdpServerSessions sessions) {
    this.context = context;
    this.schedules = schedules;
    this.clock = clock;
    this.host = host;
    this.receiveBuffer = receiveBuffer;
    this.sessions = sessions;
  }

  /** Binds the current slot's ports; completes when every bind attempt has finished. */
  Future<Void> start() {
    return update();
  }

  private Future<Void> update() {
    if (stopped) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    List<PortSchedule> all = schedules.get(); // read at every slot: a live config change takes effect at the next
    PortSchedule first = all.get(0);
    long slot = first.slotAt(now);
    TreeMap<Integer, Long> want = PortSchedule.openPorts(all, slot);
    for (Integer port : new ArrayList<>(bound.keySet())) {
      if (!want.containsKey(port)) {
        Channel ch = bound.remove(port);
        ch.close();
      }
    }
    List<Future<Void>> binds = new ArrayList<>();
    for (Integer port : want.keySet()) {
      if (!bound.containsKey(port)) {
        binds.add(bind(port));
      }
    }
    LOG.fine(() -> "TUN: UDP port " + first.portFor(slot) + " is the one for now (slot " + slot + "); bound: "
        + want.keySet());
    long next = first.slotStartMillis(slot + 1);
    timer = context.setTimer(Math.max(1, next - now + 5), t -> update());
    sessions.sweep();
    return Future.join(binds).mapEmpty();
  }

  private Future<Void> bind(int port) {
    return UdpSockets.bind(context, new InetSocketAddress(host, port), receiveBuffer, handler)
        .<Void>map(ch -> {
          if (stopped) {
            ch.close();
          } else {
            bound.put(port, ch);
          }
          return null;
        })
        .recover(err -> {
          LOG.warning(() -> "TUN: cannot bind UDP " + host.getHostAddress() + ":" + port + ", will retry next slot: "
              + err.getMessage());
          return Future.succeededFuture();
        });
  }

  java.util.Set<Integer> boundPorts() {
    return java.util.Set.copyOf(bound.keySet());
  }

  void stop() {
    stopped = true;
    context.owner().cancelTimer(timer);
    for (Channel ch : bound.values()) {
      ch.close();
    }
    bound.clear();
  }

  /** Every port's channel feeds the session table; the datagram buffer is released after it. */
  @ChannelHandler.Sharable
  private final class Reader extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
      try {
        int port = ((DatagramChannel) ctx.channel()).localAddress().getPort();
        sessions.onDatagram(msg.content(), ctx.channel(), port, msg.sender());
      } catch (RuntimeException e) {
        sessions.stats().drop(TunDrop.ERROR);
        LOG.fine(() -> "TUN: datagram handling failed: " + e);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      LOG.fine(() -> "TUN: UDP socket error: " + cause);
    }
  }
}
