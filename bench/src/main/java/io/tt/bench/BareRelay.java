package io.tt.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The floor of a JVM proxy on this machine: a SOCKS5 "client" and a "server" relay on bare Netty (epoll), shaped
 * like TT and ss-libev (the client answers SOCKS5 at once and sends the target with the first bytes; the server
 * dials it) but with no crypto, no protocol and no Vert.x. Whatever TT costs above this is TT's; what this costs
 * above ss-libev is the JVM's and Netty's. Not a proxy to use: IPv4 targets only, no error handling beyond closing.
 *
 * <pre>
 *   java -cp bench/target/tt-bench.jar -Dthreads=1 io.tt.bench.BareRelay server 29094
 *   java -cp bench/target/tt-bench.jar -Dthreads=1 io.tt.bench.BareRelay client 29093 29094
 *   java -cp bench/target/tt-bench.jar io.tt.bench.LoadClient connrate --proxy 127.0.0.1:29093 ...
 * </pre>
 * With {@code threads} above 1 each loop binds the port with SO_REUSEPORT, but Netty's ServerBootstrap hands
 * every accepted connection to the next loop of the group (a cross-thread hand-off, which TT avoids).
 */
public final class BareRelay {

  private BareRelay() {
  }

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 2 || !(args[0].equals("client") || args[0].equals("server"))) {
      System.err.println("usage: BareRelay client PORT SERVER_PORT | BareRelay server PORT");
      System.exit(2);
    }
    boolean client = args[0].equals("client");
    int port = Integer.parseInt(args[1]);
    InetSocketAddress server = client ? new InetSocketAddress("127.0.0.1", Integer.parseInt(args[2])) : null;
    int threads = Integer.getInteger("threads", 1);
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    ServerBootstrap sb = new ServerBootstrap()
        .group(loops, loops)
        .channel(EpollServerSocketChannel.class)
        .option(EpollChannelOption.SO_REUSEPORT, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(client ? new SocksSide(server) : new TargetSide());
          }
        });
    for (int i = 0; i < threads; i++) {
      sb.bind("127.0.0.1", port).sync();
    }
    System.out.println("BareRelay " + args[0] + " on 127.0.0.1:" + port + ", " + threads + " event loop(s)");
    Thread.currentThread().join();
  }

  /** Copies what one channel reads to its peer, flushing once per read batch; closes the peer at the end. */
  private static final class Pipe extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Pipe(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      peer.write(msg, peer.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      peer.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      peer.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** An accepted connection that dials onward on its own event loop and holds what arrives meanwhile. */
  private abstract static class Dialing extends ChannelInboundHandlerAdapter {
    private Channel out;
    private boolean connected;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);

    final void dial(ChannelHandlerContext ctx, InetSocketAddress to, ByteBuf first) {
      Channel in = ctx.channel();
      ChannelFuture f = new Bootstrap().group(in.eventLoop()).channel(EpollSocketChannel.class)
          .handler(new Pipe(in)).connect(to);
      out = f.channel();
      if (first != null) {
        waiting.add(first);
      }
      f.addListener((ChannelFutureListener) done -> {
        if (!done.isSuccess()) {
          in.close();
          return;
        }
        connected = true;
        for (Object m; (m = waiting.poll()) != null; ) {
          out.write(m, out.voidPromise());
        }
        out.flush();
      });
    }

    final void forward(Object msg) {
      if (connected) {
        out.write(msg, out.voidPromise());
      } else {
        waiting.add(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (connected) {
        out.flush();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (out != null) {
        out.close();
      }
      for (Object m; (m = waiting.poll()) != null; ) {
        ((ByteBuf) m).release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** SOCKS5 without authentication, CONNECT to an IPv4 address; answered at once; the address goes first. */
  private static final class SocksSide extends Dialing {
    private static final byte[] METHOD_NONE = {5, 0};
    private static final byte[] SUCCEEDED = {5, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    private final InetSocketAddress server;
    private int state;

    SocksSide(InetSocketAddress server) {
      this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      switch (state) {
        case 0 -> {
          b.release();
          state = 1;
          ctx.writeAndFlush(Unpooled.wrappedBuffer(METHOD_NONE));
        }
        case 1 -> {
          if (b.readableBytes() < 10 || b.getByte(3) != 1) {
            b.release();
            ctx.close();
            return;
          }
          ByteBuf address = b.retainedSlice(4, 6);
          b.release();
          state = 2;
          ctx.writeAndFlush(Unpooled.wrappedBuffer(SUCCEEDED));
          dial(ctx, server, address);
        }
        default -> forward(msg);
      }
    }
  }

  /** Reads the 6-byte IPv4 address and port, dials it, relays the rest. */
  private static final class TargetSide extends Dialing {
    private boolean dialed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (dialed) {
        forward(msg);
        return;
      }
      ByteBuf b = (ByteBuf) msg;
      if (b.readableBytes() < 6) {
        b.release();
        ctx.close();
        return;
      }
      dialed = true;
      byte[] ip = new byte[4];
      b.readBytes(ip);
      int port = b.readUnsignedShort();
      InetSocketAddress to;
      try {
        to = new InetSocketAddress(InetAddress.getByAddress(ip), port);
      } catch (java.net.UnknownHostException e) {
        b.release();
        ctx.close();
        return;
      }
      if (b.isReadable()) {
        dial(ctx, to, b);
      } else {
        b.release();
        dial(ctx, to, null);
      }
    }
  }
}
