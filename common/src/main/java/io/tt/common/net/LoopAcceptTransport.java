package io.tt.common.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport that is the native one (epoll, kqueue) with two changes for connection-heavy proxies:
 * sockets are accepted on the event loop that listens ({@link CallerLoopGroup}), and socket options that would
 * only restate the kernel's defaults are not set (Vert.x sets six or seven of them on every socket, each a system
 * call: TCP_QUICKACK, TCP_CORK, SO_KEEPALIVE, TCP_USER_TIMEOUT, SO_REUSEADDR, SO_REUSEPORT when off). The sockets
 * of one address, one per loop, share their connections by load ({@link LoopBalancer}).
 */
final class LoopAcceptTransport implements Transport {

  private final Transport nativeTransport;
  /** Null with {@code -Dtt.balance=hash}: the kernel's hash of the addresses picks the loop (for A/B runs). */
  private final LoopBalancer balancer = "hash".equals(System.getProperty("tt.balance")) ? null : new LoopBalancer();
  private EventLoopGroup ioLoops;

  LoopAcceptTransport(Transport nativeTransport) {
    this.nativeTransport = nativeTransport;
  }

  @Override
  public synchronized EventLoopGroup eventLoopGroup(int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    // Vert.x creates the I/O group first, then the acceptor group.
    if (type == ACCEPTOR_EVENT_LOOP_GROUP && ioLoops != null) {
      return new CallerLoopGroup(ioLoops);
    }
    EventLoopGroup group = nativeTransport.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
    if (type == IO_EVENT_LOOP_GROUP) {
      ioLoops = group;
    }
    return group;
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    nativeTransport.configure(options, domainSocket, bootstrap);
    SocketDefaults.strip(bootstrap);
    // A socket per event loop (LoopListeners asks for SO_REUSEPORT): the loops share its connections by load.
    if (balancer != null && options.isReusePort() && !domainSocket && bootstrap.config().handler() == null) {
      bootstrap.handler(balancer.member());
    }
  }

  @Override
  public void configure(ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
    nativeTransport.configure(options, connectTimeout, domainSocket, bootstrap);
    SocketDefaults.strip(bootstrap);
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    nativeTransport.configure(channel, options);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return nativeTransport.ioHandlerFactory();
  }

  @Override
  public DatagramChannel datagramChannel() {
    return nativeTransport.datagramChannel();
  }

  @Override
  @SuppressWarnings("deprecation")
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return nativeTransport.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends io.netty.channel.Channel> channelFactory(boolean domainSocket) {
    return nativeTransport.channelFactory(domainSocket);
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    return nativeTransport.serverChannelFactory(domainSocket);
  }

  @Override
  public boolean supportsDomainSockets() {
    return nativeTransport.supportsDomainSockets();
  }

  @Override
  public boolean supportFileRegion() {
    return nativeTransport.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return nativeTransport.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return nativeTransport.unavailabilityCause();
  }

  @Override
  public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
    return nativeTransport.convert(address);
  }

  @Override
  public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
    return nativeTransport.convert(address);
  }
}
