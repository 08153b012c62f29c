package io.tt.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.tt.common.config.ServerConfig;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.relay.DecoderOpener;
import io.tt.common.relay.TunnelRelay;
import io.tt.common.wire.Command;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerHandshake;
import io.tt.common.wire.ServerReply;
import io.tt.server.tun.TunStreamAcceptor;
import io.tt.server.tun.TunStreamHandoff;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.logging.Logger;

/**
 * One accepted connection on a TT port: handshake (or hand-over to the fake site), connect to the target,
 * then relay. States: HANDSHAKE -> CONNECTING -> RELAYING, or HANDSHAKE -> REJECTED.
 */
final class InboundTunnel {

  private static final Logger LOG = Logger.getLogger(InboundTunnel.class.getName());

  private enum State { HANDSHAKE, CONNECTING, RELAYING, REJECTED, CLOSED }

  private final ServerContext ctx;
  private final Vertx vertx;
  private final NetSocketInternal socket;
  private final int port;
  private final NetClient client;
  private final Set<InboundTunnel> live;
  private final ServerHandshake handshake;
  private final ByteBufAllocator alloc;
  private final long acceptedAtNanos = System.nanoTime();
  private State state = State.HANDSHAKE;
  private long deadline;
  /** Frames that arrived after the first one while the target connection is being made. */
  private ByteBuf early;
  private TunnelRelay relay;
  /** Set when the client asked for MUX: the connection carries streams. */
  private MuxTunnel mux;
  /** The source address while this connection counts as unauthenticated. */
  private volatile String unauthenticatedFrom;
  private NetSocketInternal target;
  /**
   * Accepted while its address was over its cap of unauthenticated connections: it may still authenticate with
   * its first bytes (a client opening many tunnels at once), but gets no fake site and no long wait.
   */
  private boolean probation;

  /** How long a connection on probation may take to authenticate (its first segment comes within a round trip). */
  static final int PROBATION_MILLIS = 2000;

  InboundTunnel(ServerContext ctx, Vertx vertx, NetSocket socket, int port, NetClient client, Set<InboundTunnel> live) {
    this.ctx = ctx;
    this.vertx = vertx;
    this.socket = (NetSocketInternal) socket;
    this.port = port;
    this.client = client;
    this.live = live;
    this.alloc = this.socket.channelHandlerContext().alloc();
    ServerKeys keys = ctx.keys();
    this.handshake = new ServerHandshake(keys.accepted(), port, ctx.replayFilter(), ctx.clock().millis(),
        keys.windowMillis(), alloc);
  }

  void start() {
    String from = socket.remoteAddress() == null ? "?" : socket.remoteAddress().hostAddress();
    UnauthenticatedLimiter.Verdict verdict = ctx.unauthenticated().tryAcquire(from);
    if (verdict == UnauthenticatedLimiter.Verdict.TOTAL_LIMIT) {
      ctx.stats().limited.increment();
      LOG.fine(() -> "connection refused: " + verdict);
      socket.close();
      return;
    }
    probation = verdict == UnauthenticatedLimiter.Verdict.PROBATION;
    unauthenticatedFrom = from;
    // Released when it authenticates, or whenever the connection ends (also after a hand-over to the site).
    socket.channelHandlerContext().channel().closeFuture().addListener(f -> releaseUnauthenticated());
    live.add(this);
    // The port's NetServer is shut down when its lifetime ends; that must not end this connection.
    socket.eventHandler(ReferenceCountUtil::release);
    socket.messageHandler(this::onMessage);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(t -> LOG.fine(() -> "tunnel socket error: " + t));
    int timeout = ctx.config().handshakeTimeoutMillis();
    deadline = vertx.setTimer(probation ? Math.min(PROBATION_MILLIS, timeout) : timeout, t -> onDeadline());
  }

  private void onMessage(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    switch (state) {
      case HANDSHAKE -> onHandshakeBytes(in);
      case CONNECTING -> {
        if (early == null) {
          early = alloc.buffer(in.readableBytes());
        }
        early.writeBytes(in);
        in.release();
        if (early.readableBytes() > Frames.MAX_BODY_SEALED * 4) {
          socket.pause(); // the client got ahead of the target connection: wait for it
        }
      }
      default -> in.release();
    }
  }

  private void onHandshakeBytes(ByteBuf in) {
    ServerHandshake.Step step;
    try {
      step = handshake.feed(in);
    } catch (RuntimeException e) {
      in.release();
      throw e;
    }
    switch (step) {
      case NEED_MORE -> in.release();
      case REJECTED -> {
        // Whatever else arrived with the deciding bytes belongs to the prober's request too.
        handshake.received().writeBytes(in, Math.min(in.readableBytes(), handshake.received().maxWritableBytes()));
        in.release();
        reject(handshake.rejection());
      }
      case ACCEPTED -> {
        vertx.cancelTimer(deadline);
        if (in.isReadable()) {
          early = in;
        } else {
          in.release();
        }
        accepted();
      }
    }
  }

  private void onDeadline() {
    if (state != State.HANDSHAKE) {
      return;
    }
    ctx.stats().handshakeTimeouts.increment();
    // Nothing decided by the deadline: silence, or a first frame held back after a genuine header (only someone
    // holding a live client's segments could do that). Either way the web site gets what was read, as a web
    // server would have had it.
    reject(ServerHandshake.Rejection.PROBE);
  }

  private void reject(ServerHandshake.Rejection why) {
    if (probation) {
      // Its address already has its fill of connections at the site: this one is closed without a word.
      ctx.stats().rejected(why);
      ctx.stats().limited.increment();
      LOG.fine(() -> "connection on probation did not authenticate (" + why + "): closed");
      vertx.cancelTimer(deadline);
      close();
      return;
    }
    vertx.cancelTimer(deadline);
    state = State.REJECTED;
    live.remove(this);
    ctx.stats().rejected(why);
    LOG.fine(() -> "connection on port " + port + " did not authenticate (" + why + "): handed to the fake site");
    ByteBuf read = handshake.received();
    Buffer bytes = Buffer.buffer(read.readableBytes());
    bytes.appendBytes(io.netty.buffer.ByteBufUtil.getBytes(read));
    socket.messageHandler(null);
    socket.closeHandler(null);
    ctx.rejected().takeOver(socket, bytes, acceptedAtNanos);
  }

  private void releaseUnauthenticated() {
    String from = unauthenticatedFrom;
    if (from != null) {
      unauthenticatedFrom = null;
      ctx.unauthenticated().release(from, probation);
    }
  }

  private void accepted() {
    releaseUnauthenticated();
    state = State.CONNECTING;
    socket.pause();
    io.tt.server.cluster.ClusterReplayCheck cluster = ctx.clusterReplay();
    if (cluster == null) {
      connect();
      return;
    }
    // The member's own check passed; the cluster's says whether another member saw this salt first.
    long t0 = System.nanoTime();
    cluster.fresh(handshake.salt()).onComplete(ar -> {
      ctx.stats().clusterCheckTook(System.nanoTime() - t0);
      if (state != State.CONNECTING) {
        return;
      }
      if (ar.succeeded() && ar.result()) {
        connect();
      } else if (ar.succeeded()) {
        if (early != null) {
          handshake.received().writeBytes(early, Math.min(early.readableBytes(), handshake.received().maxWritableBytes()));
          early.release();
          early = null;
        }
        handshake.firstData().release();
        reject(ServerHandshake.Rejection.REPLAY);
      } else {
        LOG.warning(() -> "cluster replay check failed, refusing the tunnel: " + ar.cause().getMessage());
        close();
      }
    });
  }

  private void connect() {
    if (handshake.request().command() == Command.MUX) {
      state = State.RELAYING;
      ByteBuf e = early;
      early = null;
      ctx.stats().handshakeTook(System.nanoTime() - acceptedAtNanos);
      mux = new MuxTunnel(ctx, socket, port, handshake, client, () -> {
        live.remove(this);
        state = State.CLOSED;
      });
      mux.start(e);
      return;
    }
    if (handshake.request().command() != Command.CONNECT) {
      // TUN streams are served by the TUN module when TUN mode is on; refuse otherwise.
      TunStreamAcceptor tun = ctx.tunStreams();
      if (tun == null) {
        replyFailure(ReplyStatus.NOT_ALLOWED);
        return;
      }
      state = State.RELAYING;
      live.remove(this);
      ByteBuf e = early;
      early = null;
      tun.accept(new TunStreamHandoff(socket, port, handshake.acceptedKey(), handshake.salt(), handshake.decoder(),
          handshake.firstData(), e));
      return;
    }
    TargetAddress t = handshake.request().target();
    LOG.fine(() -> "tunnel on port " + port + " to " + t);
    client.connect(t.port(), t.host()).onComplete(ar -> {
      if (state == State.CLOSED) {
        if (ar.succeeded()) {
          ar.result().close();
        }
        return;
      }
      if (ar.failed()) {
        LOG.fine(() -> "connect to " + t + " failed: " + ar.cause().getMessage());
        replyFailure(ReplyStatus.ofConnectFailure(ar.cause()));
        return;
      }
      startRelay((NetSocketInternal) ar.result());
    });
  }

  private FrameEncoder newEncoder(byte[] serverSalt) {
    var cfg = ctx.config().tunnel();
    return ServerReply.encoder(handshake.acceptedKey().key(), handshake.acceptedKey().method(), port,
        cfg.padding(), cfg.frameSize(), serverSalt);
  }

  private void replyFailure(ReplyStatus status) {
    byte[] serverSalt = new byte[Frames.SALT_LENGTH];
    FrameEncoder enc = newEncoder(serverSalt);
    socket.writeMessage(ServerReply.hello(alloc, enc, serverSalt, handshake.salt(), status, null))
        .onComplete(v -> close());
  }

  private void startRelay(NetSocketInternal target) {
    this.target = target;
    target.pause();
    state = State.RELAYING;
    ctx.stats().tunnelsOpened.increment();
    ctx.stats().tunnelsOpen.increment();
    byte[] serverSalt = new byte[Frames.SALT_LENGTH];
    FrameEncoder enc = newEncoder(serverSalt);
    ByteBuf reply = ServerReply.hello(alloc, enc, serverSalt, handshake.salt(), ReplyStatus.OK, null);
    ctx.stats().handshakeTook(System.nanoTime() - acceptedAtNanos);
    ByteBuf first = handshake.firstData();
    // The client sent data with its hello: the target's answer is what it waits for, and the reply can travel with
    // it. Without data (HTTP CONNECT: the application waits for the tunnel) the reply goes at once.
    boolean clientSpoke = first.isReadable() || early != null;
    if (first.isReadable()) {
      target.writeMessage(first);
    } else {
      first.release();
    }
    if (!clientSpoke) {
      socket.writeMessage(reply);
      reply = null;
    }
    DecoderOpener opener = new DecoderOpener(handshake.decoder());
    relay = TunnelRelay.start(target, socket, enc, opener, (up, down, authFailure) -> {
      ctx.stats().coverFramesReceived.add(opener.paddingFrames());
      ctx.stats().bytesToClients.add(up);
      ctx.stats().bytesFromClients.add(down);
      ctx.stats().tunnelsOpen.decrement();
      live.remove(this);
      state = State.CLOSED;
    }, reply);
    if (early != null) {
      ByteBuf e = early;
      early = null;
      relay.writeOpened(e);
    }
  }

  private void onClosed() {
    if (state == State.HANDSHAKE || state == State.CONNECTING) {
      vertx.cancelTimer(deadline);
      close();
    }
  }

  /** A mux connection that has had no stream for longer than {@code nanos}. */
  boolean idleMuxLongerThan(long nanos) {
    return mux != null && state == State.RELAYING && mux.idleLongerThan(nanos);
  }

  void close() {
    if (state == State.CLOSED) {
      return;
    }
    if (mux != null) {
      mux.close();
      return;
    }
    if (relay != null) {
      relay.close();
      return;
    }
    state = State.CLOSED;
    live.remove(this);
    if (early != null) {
      early.release();
      early = null;
    }
    if (handshake.firstData() != null && handshake.firstData().refCnt() > 0) {
      handshake.firstData().release();
    }
    socket.close();
    if (target != null) {
      target.close();
    }
  }
}
