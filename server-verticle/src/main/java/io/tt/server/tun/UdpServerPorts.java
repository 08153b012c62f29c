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
import io.tt.server.SlotPorts;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The UDP ports of the schedule ({@link SlotPorts}, the same ports and lifetimes as the TCP ones), each a channel
 * feeding the session table. Closing a port ends nothing else:
 * sessions are not tied to ports, and their clients have moved to the new slot's port by then. TUN context only.
 */
final class UdpServerPorts extends SlotPorts<DatagramChannel> {

  private static final Logger LOG = Logger.getLogger(UdpServerPorts.class.getName());

  private final ContextInternal context;
  private final InetAddress host;
  private final int receiveBuffer;
  private final UdpServerSessions sessions;
  private final ChannelHandler handler = new Reader();

  UdpServerPorts(ContextInternal context, Supplier<List<PortSchedule>> schedules, SlotClock clock, InetAddress host,
                 int receiveBuffer, UdpServerSessions sessions) {
    super(context, schedules, clock);
    this.context = context;
    this.host = host;
    this.receiveBuffer = receiveBuffer;
    this.sessions = sessions;
  }

  @Override
  protected Future<DatagramChannel> bind(int port) {
    return UdpSockets.bind(context, new InetSocketAddress(host, port), receiveBuffer, handler);
  }

  @Override
  protected void unbind(int port, DatagramChannel channel) {
    channel.close();
  }

  @Override
  protected void bindFailed(int port, Throwable cause) {
    LOG.warning(() -> "TUN: cannot bind UDP " + host.getHostAddress() + ":" + port + " (" + cause.getMessage()
        + "); retrying in " + BIND_RETRY_MILLIS / 1000 + " s");
  }

  @Override
  protected void updated(long slot, PortSchedule schedule, TreeMap<Integer, Long> want, long nextSlotMillis) {
    LOG.fine(() -> "TUN: UDP port " + schedule.portFor(slot) + " is the one for now (slot " + slot + "); bound: "
        + want.keySet());
    sessions.sweep();
  }

  void stop() {
    stopUpdating().values().forEach(Channel::close);
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
