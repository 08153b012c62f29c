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
  /** A local client that has not finished its proxy handshake by then is closed. */
  static final long HANDSHAKE_TIMEOUT_MILLIS = 30_000;

  private final ClientContext ctx;
  private final TunnelDialer dialer;
  private final Vertx vertx;
  private final NetSocketInternal socket;
  private final ProxyHandshake handshake;
  /** Null when cover traffic is off. */
  private final CoverTraffic cover;
  private long timer;
  private boolean done;

  ProxyInbound(ClientContext ctx, TunnelDialer dialer, Vertx vertx, NetSocket socket, CoverTraffic cover) {
    this.cover = cover;
    this.ctx = ctx;
    this.dialer = dialer;
    this.vertx = vertx;
    this.socket = (NetSocketInternal) socket;
    this.handshake = new ProxyHandshake(ctx.proxyAuth());
  }

  void start() {
    socket.messageHandler(this::onMessage);
    socket.closeHandler(v -> finish());
    socket.exceptionHandler(t -> socket.close());
    timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MILLIS, t -> socket.close());
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
      } else {
        openRelay(c);
      }
    }
  }

  /** SOCKS5 and HTTP CONNECT: reply as soon as the tunnel's TCP connection is up, then relay opaque bytes. */
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
      d.socket().pause();
      TunnelRelay relay = TunnelRelay.start(socket, d.socket(), d.handshake().encoder(),
          new ClientResponseOpener(d.handshake(), status -> LOG.fine(() -> "server refused " + c.target() + ": " + status)),
          (up, down, failed) -> { });
      if (cover != null) {
        cover.add(relay);
      }
    });
  }
}
