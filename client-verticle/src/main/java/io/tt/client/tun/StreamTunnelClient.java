package io.tt.client.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.tt.client.TunnelDialer;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The client's TUN mode over TCP: one tunnel stream (command TUN_STREAM) whose frames each carry one IP packet.
 * It is dialled on the current slot's port and then outlives that port, like any tunnel; when it drops, a new
 * one is dialled on the port of the slot of that moment, after a short back-off. While there is no stream,
 * packets are dropped (IP recovers; queueing them would only deliver them stale). TUN context only: the stream's
 * socket is made from this context, so it lives on the same event loop as the TUN reader.
 */
final class StreamTunnelClient implements TunUplink {

  private static final Logger LOG = Logger.getLogger(StreamTunnelClient.class.getName());
  static final long MIN_BACKOFF_MILLIS = 250;
  static final long MAX_BACKOFF_MILLIS = 5_000;
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

  private final ContextInternal context;
  private final TunnelDialer dialer;
  private final Padding padding;
  private final int mtu;
  private final TunClientStats stats;
  private final Consumer<ByteBuf> toTun;
  private final TunAnnounce announce;
  private Stream stream;
  private long backoff = MIN_BACKOFF_MILLIS;
  private long retryTimer = -1;
  private boolean stopped;
  private int failuresInARow;

  StreamTunnelClient(ContextInternal context, TunnelDialer dialer, Padding padding, int mtu, TunAnnounce announce,
                     TunClientStats stats, Consumer<ByteBuf> toTun) {
    this.context = context;
    this.dialer = dialer;
    this.padding = padding;
    this.mtu = mtu;
    this.stats = stats;
    this.toTun = toTun;
    this.announce = announce;
  }

  /** One connected stream. */
  private final class Stream {
    final NetSocketInternal socket;
    final ChannelHandlerContext chctx;
    final ClientHandshake handshake;
    final ByteBufAllocator alloc;
    final String where;
    FrameEncoder encoder;
    FrameDecoder decoder;
    ByteBuf next;
    boolean open;
    boolean flushScheduled;
    boolean closed;
    final Runnable flushTask = this::flush;

    Stream(TunnelDialer.Dialed d) {
      this.socket = d.socket();
      this.chctx = socket.channelHandlerContext();
      this.handshake = d.handshake();
      this.alloc = chctx.alloc();
      this.where = d.server().getHostAddress() + ":" + d.port();
    }

    void flush() {
      flushScheduled = false;
      chctx.flush();
    }
  }

  /** Starts dialling; the device is usable at once, packets flow once a stream is up. */
  @Override
  public Future<Void> start() {
    connect();
    return Future.succeededFuture();
  }

  private void connect() {
    if (stopped) {
      return;
    }
    dialer.dial(ClientRequest::tunStream, (ByteBuf) null).onComplete(ar -> {
      if (ar.failed()) {
        int n = ++failuresInARow;
        if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th... failure in a row, not every one
          LOG.warning(() -> "TUN: cannot reach the server (" + n + " tries): " + ar.cause().getMessage()
              + "; retrying");
        }
        retryLater();
        return;
      }
      failuresInARow = 0;
      if (stopped) {
        ar.result().socket().close();
        return;
      }
      Stream s = new Stream(ar.result());
      stream = s;
      s.chctx.channel().config().setWriteBufferWaterMark(WATER_MARK);
      s.encoder = s.handshake.encoder();
      s.socket.messageHandler(msg -> onMessage(s, msg));
      s.socket.closeHandler(v -> onClosed(s));
      s.socket.exceptionHandler(t -> LOG.fine(() -> "TUN: stream error: " + t));
    });
  }

  private void retryLater() {
    if (stopped) {
      return;
    }
    long delay = backoff;
    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    retryTimer = context.setTimer(delay, t -> connect());
  }

  private void onMessage(Stream s, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      if (s.closed) {
        return;
      }
      if (!s.open && !handshake(s, in)) {
        return;
      }
      while (in.isReadable()) {
        if (s.next == null) {
          s.next = s.alloc.directBuffer(mtu);
        }
        FrameDecoder.Result r = s.decoder.decodeOne(in, s.next);
        if (r == FrameDecoder.Result.NEED_MORE) {
          break;
        }
        if (r == FrameDecoder.Result.BAD) {
          LOG.fine(() -> "TUN: a frame from " + s.where + " does not open; reconnecting");
          s.socket.close();
          return;
        }
        if (s.next.isReadable()) { // an empty frame is padding only
          ByteBuf packet = s.next;
          s.next = null;
          stats.packetsDown.increment();
          toTun.accept(packet);
        }
      }
    } finally {
      in.release();
    }
  }

  /** Reads the server's reply; true once the stream carries packets (bytes left in {@code in} are frames). */
  private boolean handshake(Stream s, ByteBuf in) {
    ByteBuf ignored = s.alloc.heapBuffer(0);
    ClientHandshake.Step step;
    try {
      step = s.handshake.feed(in, ignored);
    } finally {
      ignored.release();
    }
    if (step == ClientHandshake.Step.NEED_MORE) {
      return false;
    }
    if (step == ClientHandshake.Step.FAILED || s.handshake.status() != ReplyStatus.OK) {
      ReplyStatus why = step == ClientHandshake.Step.FAILED ? null : s.handshake.status();
      LOG.warning(() -> "TUN: the server at " + s.where + (why == null ? " did not answer as a TT server"
          : " refused TUN mode (" + why + "; is it running with --tun-ip?)"));
      s.socket.close();
      return false;
    }
    s.open = true;
    s.decoder = s.handshake.decoder();
    backoff = MIN_BACKOFF_MILLIS;
    LOG.info(() -> "TUN: stream to " + s.where + " is up");
    if (announce.exists()) {
      send(announce.packet(s.alloc)); // the server learns our TUN address before we have traffic
    }
    return true;
  }

  @Override
  public void send(ByteBuf packet) {
    Stream s = stream;
    try {
      if (s == null || !s.open || s.closed) {
        stats.drop(ClientDrop.NO_TUNNEL);
        return;
      }
      if (!s.chctx.channel().isWritable()) {
        stats.drop(ClientDrop.BACKLOG);
        return;
      }
      int len = packet.readableBytes();
      int pad = padding.padFor(len, false);
      ByteBuf out = s.alloc.directBuffer(len + Frames.FRAME_OVERHEAD + pad);
      try {
        s.encoder.encodeFrame(packet, packet.readerIndex(), len, pad, out);
      } catch (RuntimeException e) {
        out.release();
        throw e;
      }
      s.chctx.write(out, s.chctx.voidPromise());
      stats.packetsUp.increment();
      if (!s.flushScheduled) {
        s.flushScheduled = true;
        s.chctx.executor().execute(s.flushTask); // one flush for the reader's whole batch
      }
    } finally {
      packet.release();
    }
  }

  private void onClosed(Stream s) {
    s.closed = true;
    if (s.decoder != null) {
      s.decoder.release();
    }
    if (s.next != null) {
      s.next.release();
      s.next = null;
    }
    if (stream == s) {
      stream = null;
    }
    if (!stopped) {
      stats.reconnects.increment();
      LOG.info(() -> "TUN: stream to " + s.where + " ended; dialling the current port again");
      retryLater();
    }
  }

  @Override
  public void stop() {
    stopped = true;
    context.owner().cancelTimer(retryTimer);
    Stream s = stream;
    if (s != null) {
      s.socket.close();
    }
  }
}
