package io.tt.server;

import io.netty.buffer.ByteBuf;
import io.tt.common.mux.MuxLink;
import io.tt.common.mux.MuxStream;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerHandshake;
import io.tt.common.wire.ServerReply;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;

import java.util.logging.Logger;

/**
 * A TT connection whose client asked for MUX (PROTOCOL.md section 5.3): answers the handshake at once, then
 * serves the streams the client opens, each to its own target connection, on this event loop.
 */
final class MuxTunnel implements MuxLink.Peer {

  private static final Logger LOG = Logger.getLogger(MuxTunnel.class.getName());

  private final ServerContext ctx;
  private final NetSocketInternal socket;
  private final int port;
  private final ServerHandshake handshake;
  private final NetClient client;
  private final Runnable onClosed;
  private MuxLink link;

  MuxTunnel(ServerContext ctx, NetSocketInternal socket, int port, ServerHandshake handshake, NetClient client,
            Runnable onClosed) {
    this.ctx = ctx;
    this.socket = socket;
    this.port = port;
    this.handshake = handshake;
    this.client = client;
    this.onClosed = onClosed;
  }

  /** Sends the reply and starts serving; {@code early} (may be null) are frames that came after the first. */
  void start(ByteBuf early) {
    ByteBuf firstData = handshake.firstData();
    boolean malformed = firstData.isReadable();
    firstData.release();
    if (malformed) {
      // A MUX request carries no data of its own: streams come in mux frames.
      LOG.fine(() -> "MUX request with data: closed");
      if (early != null) {
        early.release();
      }
      socket.close();
      onClosed.run();
      return;
    }
    var cfg = ctx.config();
    byte[] serverSalt = new byte[Frames.SALT_LENGTH];
    FrameEncoder enc = ServerReply.encoder(handshake.acceptedKey().key(), handshake.acceptedKey().method(), port,
        cfg.tunnel().padding(), cfg.tunnel().frameSize(), serverSalt);
    socket.writeMessage(ServerReply.hello(socket.channelHandlerContext().alloc(), enc, serverSalt, handshake.salt(),
        ReplyStatus.OK, null));
    enc.startMux();
    handshake.decoder().startMux();
    ctx.stats().muxConnectionsOpen.increment();
    ctx.stats().muxConnectionsOpened.increment();
    link = new MuxLink(socket, enc, true, cfg.muxWindow(), this);
    link.start(handshake.decoder(), early);
  }

  /** Idle (no stream) for longer than {@code nanos}. */
  boolean idleLongerThan(long nanos) {
    return link != null && link.streamCount() == 0 && System.nanoTime() - link.idleSinceNanos() > nanos;
  }

  void close() {
    if (link != null) {
      link.close();
    } else {
      socket.close();
    }
  }

  @Override
  public void coverFrame() {
    ctx.stats().coverFramesReceived.increment();
  }

  @Override
  public void opened(MuxLink l, int id, TargetAddress target, boolean holdReply) {
    MuxStream s = l.accept(id);
    if (l.streamCount() > ctx.config().muxStreams()) {
      LOG.fine(() -> "mux stream refused: more than " + ctx.config().muxStreams() + " on one connection");
      l.refuse(s, ReplyStatus.NOT_ALLOWED);
      return;
    }
    if (!ctx.keys().accepted().contains(handshake.acceptedKey())) {
      // The key this connection authenticated with was rotated out: its streams end, new ones need the new key.
      LOG.fine("mux stream refused: the connection's key is no longer accepted");
      l.refuse(s, ReplyStatus.NOT_ALLOWED);
      return;
    }
    ctx.stats().tunnelsOpened.increment();
    ctx.stats().tunnelsOpen.increment();
    LOG.fine(() -> "mux stream on port " + port + " to " + target);
    client.connect(target.port(), target.host()).onComplete(ar -> {
      if (ar.failed()) {
        LOG.fine(() -> "connect to " + target + " failed: " + ar.cause().getMessage());
        if (!s.isClosed()) { // else the client closed it, or the link went, and it was counted as ended
          ctx.stats().tunnelsOpen.decrement();
        }
        l.refuse(s, ReplyStatus.ofConnectFailure(ar.cause()));
        return;
      }
      NetSocketInternal targetSocket = (NetSocketInternal) ar.result();
      if (l.isClosed()) {
        targetSocket.close();
        return;
      }
      targetSocket.pause();
      // The client does not wait for the reply (it said so, or it sent data already): it goes with the answer.
      s.attachTarget(targetSocket, holdReply || s.peerSpoke());
    });
  }

  @Override
  public void streamEnded(MuxStream s) {
    ctx.stats().bytesToClients.add(s.bytesUp());
    ctx.stats().bytesFromClients.add(s.bytesDown());
    ctx.stats().tunnelsOpen.decrement();
  }

  @Override
  public void linkClosed(MuxLink l, boolean protocolError) {
    ctx.stats().muxConnectionsOpen.decrement();
    onClosed.run();
  }
}
