package io.tt.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.tt.common.proxy.ConnectFailure;
import io.tt.common.proxy.HandshakeResult;
import io.tt.common.proxy.ProxyHandshake;
import io.tt.common.relay.CoverTraffic;
import io.tt.common.relay.TunnelRelay;
import io.tt.common.wire.ClientRequest;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.logging.Logger;

/**
 * One connection to the local proxy port: the SOCKS5 or HTTP proxy handshake, then a tunnel. SOCKS5 and HTTP
 * CONNECT become an opaque relay; absolute-URI HTTP requests go to {@link HttpForwardSession}.
 */
final class ProxyInbound {

  private static final Logger LOG = Logger.getLogger(ProxyInbound.class.getName());

  private final ClientContext ctx;
  private final TunnelDialer dialer;
  /** Null when mux is off: each proxied connection gets a TT connection of its own. */
  private final MuxPool muxes;
  private final Vertx vertx;
  private final NetSocketInternal socket;
  private final ProxyHandshake handshake;
  /** Null when cover traffic is off. */
  private final CoverTraffic cover;
  private long timer;
  private boolean done;
  /** SOCKS5: the application closed while the tunnel was being dialled. */
  private boolean clientGone;
  /** SOCKS5: what the application sent before the server connection was up. */
  private ByteBuf early;

  ProxyInbound(ClientContext ctx, TunnelDialer dialer, MuxPool muxes, Vertx vertx, NetSocket socket,
               CoverTraffic cover) {
    this.cover = cover;
    this.ctx = ctx;
    this.dialer = dialer;
    this.muxes = muxes;
    this.vertx = vertx;
    this.socket = (NetSocketInternal) socket;
    this.handshake = new ProxyHandshake(ctx.proxyAuth());
  }

  void start() {
    socket.messageHandler(this::onMessage);
    socket.closeHandler(v -> finish());
    socket.exceptionHandler(t -> socket.close());
    // A local client that has not finished its proxy request by then is closed.
    timer = vertx.setTimer(ctx.config().handshakeTimeoutMillis(), t -> socket.close());
  }

  private void finish() {
    done = true;
    vertx.cancelTimer(timer);
  }

  private void onMessage(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    HandshakeResult r;
    try {
      r = handshake.feed(in);
    } finally {
      in.release();
    }
    if (r instanceof HandshakeResult.Reply reply) {
      socket.writeMessage(reply.bytes());
    } else if (r instanceof HandshakeResult.Fail fail) {
      finish();
      LOG.fine(() -> "proxy client refused: " + fail.reason());
      socket.writeMessage(fail.bytes()).onComplete(v -> socket.close());
    } else if (r instanceof HandshakeResult.Connect c) {
      finish();
      socket.pause();
      socket.messageHandler(null);
      if (c.mode() == HandshakeResult.Connect.Mode.HTTP_FORWARD) {
        new HttpForwardSession(ctx, dialer, socket, c).start();
      } else if (c.mode() == HandshakeResult.Connect.Mode.SOCKS5) {
        if (muxes != null) {
          openStreamOptimistically(c);
        } else {
          openOptimistically(c);
        }
      } else if (muxes != null) {
        openStream(c);
      } else {
        openRelay(c);
      }
    }
  }

  /**
   * SOCKS5 over mux: reply success at once and open a stream; on a connection that is up the OPEN goes at once
   * (with what the application sent with its request), else what it sends meanwhile travels with the OPEN.
   */
  private void openStreamOptimistically(HandshakeResult.Connect c) {
    replyNow(c);
    early = c.leftover().isReadable() ? c.leftover() : null;
    muxes.open(new StreamRequest(c) {
      @Override
      public void opened(io.tt.common.mux.MuxStream s) {
        ctx.tunnelsOpened().increment();
        s.onReply(status -> {
          if (status != io.tt.common.wire.ReplyStatus.OK) {
            LOG.fine(() -> "server refused " + c.target() + ": " + status);
          }
        });
        s.attach(socket);
      }

      @Override
      public void failed(Throwable cause) {
        ctx.tunnelFailures().increment();
        LOG.fine(() -> "no tunnel to " + c.target() + ": " + cause.getMessage());
        socket.close();
      }
    });
    if (!streamOpened) {
      collectEarly(); // the connection is being dialled
    }
  }

  /**
   * SOCKS5's success reply, flushed at once. A write from a read handler otherwise waits for the read to complete,
   * which here is after the OPEN (or the dial) this request starts has gone out; the application sends its request
   * only once it has the reply, so the reply goes first (bench/README.md, change 21). Netty's outbound buffer keeps
   * the order of anything written before it (the method reply is flushed by its own read, or owed in this one).
   */
  private void replyNow(HandshakeResult.Connect c) {
    socket.channelHandlerContext().writeAndFlush(c.successReply());
  }

  /** HTTP CONNECT over mux: answer the application when the server has connected the stream's target. */
  private void openStream(HandshakeResult.Connect c) {
    early = c.leftover().isReadable() ? c.leftover() : null;
    socket.closeHandler(v -> clientGone = true);
    muxes.open(new StreamRequest(c) {
      @Override
      public void opened(io.tt.common.mux.MuxStream s) {
        socket.closeHandler(v -> {
          clientGone = true;
          s.cancel();
        });
        s.onReply(status -> {
          if (clientGone) {
            return;
          }
          if (status == io.tt.common.wire.ReplyStatus.OK) {
            ctx.tunnelsOpened().increment();
            socket.writeMessage(c.successReply());
            s.attach(socket);
          } else {
            LOG.fine(() -> "server refused " + c.target() + ": " + status);
            socket.writeMessage(c.failureReply(ConnectFailure.of(status))).onComplete(v -> socket.close());
          }
        });
      }

      @Override
      public void failed(Throwable cause) {
        ctx.tunnelFailures().increment();
        LOG.fine(() -> "no tunnel to " + c.target() + ": " + cause.getMessage());
        socket.writeMessage(c.failureReply(ConnectFailure.classify(cause))).onComplete(v -> socket.close());
      }
    });
  }

  /** Set once a stream was opened for this connection. */
  private boolean streamOpened;

  /** What every stream request of this connection shares: its target, its early bytes, whether it is wanted. */
  private abstract class StreamRequest implements MuxConnection.Request {
    private final HandshakeResult.Connect connect;

    StreamRequest(HandshakeResult.Connect connect) {
      this.connect = connect;
    }

    @Override
    public boolean holdsReply() {
      return connect.mode() == HandshakeResult.Connect.Mode.SOCKS5;
    }

    @Override
    public io.tt.common.proxy.TargetAddress target() {
      return connect.target();
    }

    @Override
    public boolean wanted() {
      if (clientGone) {
        return false;
      }
      streamOpened = true;
      return true;
    }

    @Override
    public ByteBuf takeEarly() {
      socket.pause();
      ByteBuf first = early;
      early = null;
      return first;
    }
  }

  /** While a stream waits for its connection: what the application sends gathers for the OPEN. */
  private void collectEarly() {
    socket.messageHandler(msg -> {
      if (!(msg instanceof ByteBuf in)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (early == null) {
        early = in;
      } else {
        early = socket.channelHandlerContext().alloc().compositeBuffer().addComponents(true, early, in);
      }
      if (early.readableBytes() >= io.tt.common.wire.Frames.MAX_PAYLOAD) {
        socket.pause(); // enough for the first frames; the rest waits for the stream
      }
    });
    socket.closeHandler(v -> {
      clientGone = true;
      if (early != null) {
        early.release();
        early = null;
      }
    });
    socket.resume();
  }

  /**
   * SOCKS5: reply success at once, as shadowsocks does, and dial meanwhile; what the application sends before the
   * server connection is up travels with the hello, in the same segment. A failure to reach any server then shows
   * as a closed connection rather than a SOCKS5 error code; a refused target always did.
   */
  private void openOptimistically(HandshakeResult.Connect c) {
    replyNow(c);
    early = c.leftover().isReadable() ? c.leftover() : null;
    socket.messageHandler(msg -> {
      if (!(msg instanceof ByteBuf in)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (early == null) {
        early = in;
      } else {
        early = socket.channelHandlerContext().alloc().compositeBuffer().addComponents(true, early, in);
      }
      if (early.readableBytes() >= io.tt.common.wire.Frames.MAX_PAYLOAD) {
        socket.pause(); // enough for the first frames; the rest waits for the relay
      }
    });
    socket.closeHandler(v -> {
      clientGone = true;
      if (early != null) {
        early.release();
        early = null;
      }
    });
    socket.resume();
    dialer.dial(ts -> ClientRequest.connect(c.target(), ts), () -> {
      socket.pause();
      ByteBuf first = early;
      early = null;
      return first;
    }).onComplete(ar -> {
      if (ar.failed()) {
        ctx.tunnelFailures().increment();
        LOG.fine(() -> "no tunnel to " + c.target() + ": " + ar.cause().getMessage());
        socket.close();
        return;
      }
      TunnelDialer.Dialed d = ar.result();
      if (clientGone) {
        d.socket().close();
        return;
      }
      ctx.tunnelsOpened().increment();
      LOG.fine(() -> "tunnel to " + c.target() + " via " + d.server().getHostAddress() + ":" + d.port());
      startRelay(c, d);
    });
  }

  /** HTTP CONNECT: reply once the tunnel's TCP connection is up (a failure can still be a 502), then relay. */
  private void openRelay(HandshakeResult.Connect c) {
    ByteBuf first = c.leftover().isReadable() ? c.leftover() : null;
    dialer.dial(ts -> ClientRequest.connect(c.target(), ts), first).onComplete(ar -> {
      if (ar.failed()) {
        ctx.tunnelFailures().increment();
        LOG.fine(() -> "no tunnel to " + c.target() + ": " + ar.cause().getMessage());
        socket.writeMessage(c.failureReply(ConnectFailure.classify(ar.cause()))).onComplete(v -> socket.close());
        return;
      }
      TunnelDialer.Dialed d = ar.result();
      if (done && !socket.channelHandlerContext().channel().isActive()) {
        d.socket().close();
        return;
      }
      ctx.tunnelsOpened().increment();
      LOG.fine(() -> "tunnel to " + c.target() + " via " + d.server().getHostAddress() + ":" + d.port());
      socket.writeMessage(c.successReply());
      startRelay(c, d);
    });
  }

  private void startRelay(HandshakeResult.Connect c, TunnelDialer.Dialed d) {
    d.socket().pause();
    TunnelRelay relay = TunnelRelay.start(socket, d.socket(), d.handshake().encoder(),
        new ClientResponseOpener(d.handshake(), status -> LOG.fine(() -> "server refused " + c.target() + ": " + status)),
        (up, down, failed) -> { });
    if (cover != null) {
      cover.add(relay);
    }
  }
}
