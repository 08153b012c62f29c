package io.tt.common.wire;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * Binds the Netty datagram channels TUN mode sends its datagrams through, on a Vert.x event loop and with Vert.x's
 * transport (epoll when present). Vert.x's own DatagramSocket copies every datagram into a heap buffer; the raw
 * channel hands over the pooled direct buffer it read into. (I/O next to the codec because both sides use it.)
 */
public final class UdpSockets {

  /** Socket buffers large enough for bursts at a few Gbit/s (the kernel caps them at its rmem/wmem max). */
  public static final int SOCKET_BUFFER = 4 << 20;
  /** Datagrams read per system call where the transport can (epoll's recvmmsg). */
  static final int BATCH = 16;
  /**
   * Datagrams are written during a batch and flushed after it (see {@link UdpFlusher}); the channel must hold a
   * whole batch without reporting itself unwritable, which makes senders drop.
   */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

  private UdpSockets() {
  }

  /**
   * Binds {@code local} (port 0: any free port) on {@code context}'s event loop.
   *
   * @param receiveBuffer bytes read per datagram; longer datagrams are cut (and then fail to open)
   */
  @SuppressWarnings("deprecation") // InternetProtocolFamily is what Vert.x 5's transport SPI takes
  public static Future<DatagramChannel> bind(ContextInternal context, InetSocketAddress local, int receiveBuffer,
                                      ChannelHandler handler) {
    VertxInternal vertx = context.owner();
    DatagramChannel ch = vertx.transport().datagramChannel(
        local.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    // With epoll, one recvmmsg call takes up to BATCH datagrams into one buffer (Netty slices it per datagram);
    // the option is looked up by name because common does not depend on the epoll classes.
    boolean batch = ch.config().setOption(ChannelOption.valueOf("MAX_DATAGRAM_PAYLOAD_SIZE"), receiveBuffer);
    ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(batch ? receiveBuffer * BATCH : receiveBuffer));
    ch.config().setOption(ChannelOption.SO_RCVBUF, SOCKET_BUFFER);
    ch.config().setOption(ChannelOption.SO_SNDBUF, SOCKET_BUFFER);
    ch.config().setWriteBufferWaterMark(WATER_MARK);
    ch.pipeline().addLast(handler);
    Promise<DatagramChannel> p = context.promise();
    context.nettyEventLoop().register(ch).addListener(reg -> {
      if (!reg.isSuccess()) {
        p.fail(reg.cause());
        return;
      }
      ch.bind(local).addListener(b -> {
        if (b.isSuccess()) {
          p.complete(ch);
        } else {
          ch.close();
          p.fail(b.cause());
        }
      });
    });
    return p.future();
  }
}
