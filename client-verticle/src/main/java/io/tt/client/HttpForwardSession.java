package io.tt.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.tt.common.proxy.ConnectFailure;
import io.tt.common.proxy.HandshakeResult;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.proxy.http.HttpLimits;
import io.tt.common.proxy.http.HttpProxyRequest;
import io.tt.common.proxy.http.HttpProxyResponses;
import io.tt.common.proxy.http.HttpRequestFramer;
import io.tt.common.proxy.http.HttpResponseFramer;
import io.tt.common.relay.FrameOpener;
import io.tt.common.relay.TunnelRelay;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.ReplyStatus;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.logging.Logger;

/**
 * An HTTP proxy connection carrying absolute-URI requests ({@code GET http://host/path}) with keep-alive.
 * Requests are framed on the way out (heads rewritten to origin form), responses on the way back, so the
 * connection can move to another tunnel when a request names another host, once the previous response is
 * complete.
 */
final class HttpForwardSession {

  private static final Logger LOG = Logger.getLogger(HttpForwardSession.class.getName());

  private final ClientContext ctx;
  private final TunnelDialer dialer;
  private final NetSocketInternal client;
  private final HttpRequestFramer requests;
  private final HttpResponseFramer responses = new HttpResponseFramer(HttpLimits.DEFAULT);
  private final HandshakeResult.Connect first;

  private NetSocketInternal tunnel;
  private FrameEncoder encoder;
  private FrameOpener opener;
  private TargetAddress target;
  /** Client bytes not yet framed while a tunnel is being opened or the previous response finishes. */
  private ByteBuf held = Unpooled.EMPTY_BUFFER;
  private boolean dialing;
  /** A parsed request that waits for the previous responses before it can be sent. */
  private HttpRequestFramer.RequestHead waiting;
  private boolean responseStarted;
  private boolean closed;
  private Future<Void> lastToClient = Future.succeededFuture();

  HttpForwardSession(ClientContext ctx, TunnelDialer dialer, NetSocketInternal client, HandshakeResult.Connect first) {
    this.ctx = ctx;
    this.dialer = dialer;
    this.client = client;
    this.first = first;
    this.requests = first.requestFramer();
  }

  void start() {
    client.messageHandler(this::fromClient);
    client.closeHandler(v -> close());
    client.exceptionHandler(t -> close());
    client.drainHandler(v -> {
      if (tunnel != null) {
        tunnel.resume();
      }
    });
    responses.expectResponseTo(first.request());
    held = first.leftover();
    open(first.target(), first.toTarget());
  }

  private void open(TargetAddress t, ByteBuf head) {
    dialing = true;
    client.pause();
    target = t;
    dialer.dial(ts -> ClientRequest.connect(t, ts), head).onComplete(ar -> {
      dialing = false;
      if (closed) {
        if (ar.succeeded()) {
          ar.result().socket().close();
        }
        return;
      }
      if (ar.failed()) {
        ctx.tunnelFailures().increment();
        fail(ConnectFailure.classify(ar.cause()));
        return;
      }
      ctx.tunnelsOpened().increment();
      TunnelDialer.Dialed d = ar.result();
      tunnel = d.socket();
      encoder = d.handshake().encoder();
      NetSocketInternal mine = tunnel;
      opener = new ClientResponseOpener(d.handshake(), this::refused);
      tunnel.messageHandler(msg -> fromTunnel(mine, msg));
      tunnel.closeHandler(v -> tunnelEnded(mine));
      tunnel.exceptionHandler(e -> mine.close());
      tunnel.drainHandler(v -> client.resume());
      client.resume();
      drainHeld();
    });
  }

  private void refused(ReplyStatus status) {
    if (!responseStarted) {
      fail(ConnectFailure.of(status));
    }
  }

  private void fail(ConnectFailure f) {
    LOG.fine(() -> "HTTP request to " + target + " failed: " + f);
    lastToClient = client.writeMessage(HttpProxyResponses.forFailure(f));
    close();
  }

  private void fromClient(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (held.isReadable()) {
      ByteBuf both = Unpooled.buffer(held.readableBytes() + in.readableBytes());
      both.writeBytes(held).writeBytes(in);
      held.release();
      in.release();
      held = both;
    } else {
      held.release();
      held = in;
    }
    drainHeld();
  }

  /** Frames held client bytes into the tunnel until input runs out or a new target must wait. */
  private void drainHeld() {
    if (waiting != null && !closed && !dialing) {
      HttpRequestFramer.RequestHead h = waiting;
      waiting = null;
      if (!startRequest(h)) {
        return;
      }
    }
    while (!closed && !dialing && held.isReadable()) {
      HttpRequestFramer.Event e = requests.next(held);
      if (e instanceof HttpRequestFramer.RequestHead h) {
        if (!startRequest(h)) {
          return;
        }
      } else if (e instanceof HttpRequestFramer.BodyPart b) {
        toTunnel(b.bytes());
      } else if (e instanceof HttpRequestFramer.Failed f) {
        lastToClient = client.writeMessage(f.response());
        close();
        return;
      } else {
        break;
      }
    }
    if (!held.isReadable()) {
      held.release();
      held = Unpooled.EMPTY_BUFFER;
    }
  }

  /** @return false when reading must stop: the request waits for a response to finish, or a tunnel opens */
  private boolean startRequest(HttpRequestFramer.RequestHead h) {
    HttpProxyRequest req = h.request();
    if (req.isConnect()) {
      if (!responses.idle()) {
        waiting = h;
        client.pause();
        return false;
      }
      becomeConnectTunnel(req);
      return false;
    }
    boolean needNewTunnel = h.newTarget() || tunnel == null;
    if ((needNewTunnel && !responses.idle()) || !responses.expectResponseTo(req)) {
      // Another host (or too many requests in flight): wait until the responses are complete.
      waiting = h;
      client.pause();
      return false;
    }
    if (needNewTunnel) {
      if (tunnel != null) {
        tunnel.closeHandler(null);
        tunnel.close();
        tunnel = null;
      }
      responseStarted = false;
      open(req.target(), req.headForOrigin());
      return false;
    }
    toTunnel(req.headForOrigin());
    return true;
  }

  /**
   * A CONNECT on a keep-alive connection (rare: clients usually open a new connection for it): once the previous
   * responses are complete the connection becomes an opaque tunnel, exactly as if CONNECT had come first.
   */
  private void becomeConnectTunnel(HttpProxyRequest req) {
    closed = true; // this session stops framing; the relay owns the client from here
    if (tunnel != null) {
      tunnel.closeHandler(null);
      tunnel.close();
      tunnel = null;
    }
    if (opener != null) {
      opener.release();
    }
    client.pause();
    client.messageHandler(null);
    ByteBuf rest = held.isReadable() ? held : null;
    held = Unpooled.EMPTY_BUFFER;
    dialer.dial(ts -> ClientRequest.connect(req.target(), ts), rest).onComplete(ar -> {
      if (ar.failed()) {
        ctx.tunnelFailures().increment();
        client.writeMessage(HttpProxyResponses.forFailure(ConnectFailure.classify(ar.cause())))
            .onComplete(v -> client.close());
        return;
      }
      ctx.tunnelsOpened().increment();
      TunnelDialer.Dialed d = ar.result();
      client.writeMessage(HttpProxyResponses.connectionEstablished());
      d.socket().pause();
      TunnelRelay.start(client, d.socket(), d.handshake().encoder(),
          new ClientResponseOpener(d.handshake(), status -> { }), (up, down, failed) -> { });
    });
  }

  private void toTunnel(ByteBuf plain) {
    ByteBuf out = tunnel.channelHandlerContext().alloc().directBuffer(encoder.maxEncodedLength(plain.readableBytes()));
    encoder.encode(plain, out);
    tunnel.writeMessage(out);
    if (tunnel.writeQueueFull()) {
      client.pause();
    }
  }

  private void fromTunnel(NetSocketInternal from, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (from != tunnel || closed) {
      in.release();
      return;
    }
    ByteBuf plain = Unpooled.buffer(in.readableBytes() + opener.pendingBytes());
    boolean ok;
    try {
      ok = opener.open(in, plain);
    } finally {
      in.release();
    }
    boolean wasIdle = responses.idle();
    while (plain.isReadable() && !closed) {
      HttpResponseFramer.Event e = responses.next(plain);
      if (e instanceof HttpResponseFramer.ResponseHead h) {
        responseStarted = true;
        lastToClient = client.writeMessage(h.bytes().retainedDuplicate());
      } else if (e instanceof HttpResponseFramer.BodyPart b) {
        lastToClient = client.writeMessage(b.bytes().retainedDuplicate());
      } else if (e instanceof HttpResponseFramer.Failed f) {
        if (!f.responseStarted()) {
          lastToClient = client.writeMessage(HttpProxyResponses.badGateway());
        }
        close();
      } else {
        break;
      }
    }
    plain.release();
    if (!ok) {
      if (!closed) {
        tunnelEnded(from);
      }
      return;
    }
    if (client.writeQueueFull()) {
      tunnel.pause();
    }
    if (!wasIdle && responses.idle()) {
      client.resume();
      drainHeld();
    }
  }

  private void tunnelEnded(NetSocketInternal which) {
    if (which != tunnel || closed) {
      return;
    }
    tunnel = null;
    if (!responses.endOfInput()) {
      close(); // a response was cut short: the client must see the connection end
      return;
    }
    if (!responses.idle() || !requests.betweenRequests()) {
      close();
      return;
    }
    client.resume();
    drainHeld();
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    held.release();
    held = Unpooled.EMPTY_BUFFER;
    if (opener != null) {
      opener.release();
    }
    if (tunnel != null) {
      tunnel.close();
    }
    // Netty drops bytes still queued when a channel closes: close only once the last response bytes are out.
    lastToClient.onComplete(v -> client.close());
  }
}
