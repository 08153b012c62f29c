package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.internal.PlatformDependent;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerReply;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * One client's TUN mode over TCP: a tunnel stream whose frames each carry one IP packet.
 *
 * <p>Reading runs on the stream's event loop: frames are opened straight into the buffer that goes to the TUN
 * writer. Packets for the client come from the TUN context through a bounded queue; one task on the stream's loop
 * seals everything queued and flushes once. When the socket cannot take more (the client or the path is slow), new
 * packets are dropped as a router would; the inner TCP flows slow down.
 */
final class TunStreamSession implements TunPeer {

  private static final Logger LOG = Logger.getLogger(TunStreamSession.class.getName());
  static final int QUEUE = 1024;
  /** Enough socket buffer for a burst of full-size packets before drops start. */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

  private final TunServer server;
  private final TunStreamHandoff h;
  private final TunServer.StreamSettings settings;
  private final TunServerStats stats;
  private final NetSocketInternal socket;
  private final ChannelHandlerContext chctx;
  private final ByteBufAllocator alloc;
  private final FrameDecoder decoder;
  private final LearnedSource learned = new LearnedSource();
  private final Queue<ByteBuf> outbound = PlatformDependent.newFixedMpscQueue(QUEUE);
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drainTask = this::drain;
  private FrameEncoder encoder;
  private boolean firstFrame = true;
  /** The buffer the next frame is opened into; handed to the TUN writer when it holds a packet. */
  private ByteBuf next;
  private volatile boolean closed;

  TunStreamSession(TunServer server, TunStreamHandoff h, TunServer.StreamSettings settings, TunServerStats stats) {
    this.server = server;
    this.h = h;
    this.settings = settings;
    this.stats = stats;
    this.socket = h.socket();
    this.chctx = socket.channelHandlerContext();
    this.alloc = chctx.alloc();
    this.decoder = h.decoder();
  }

  void start() {
    byte[] serverSalt = new byte[Frames.SALT_LENGTH];
    encoder = ServerReply.encoder(h.key().key(), h.key().method(), h.port(), settings.padding(),
        settings.frameSize(), serverSalt);
    chctx.channel().config().setWriteBufferWaterMark(WATER_MARK);
    socket.writeMessage(ServerReply.hello(alloc, encoder, serverSalt, h.clientSalt(), ReplyStatus.OK, null));
    firstFrame = false;
    socket.messageHandler(this::onMessage);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(t -> {
      LOG.fine(() -> "TUN stream error: " + t);
      close();
    });
    LOG.fine(() -> "TUN: " + describe() + " opened");
    if (h.firstData() != null) {
      onBytes(h.firstData(), true);
    }
    if (h.early() != null) {
      onBytes(h.early(), false);
    }
    socket.resume();
  }

  private void onMessage(Object msg) {
    if (msg instanceof ByteBuf in) {
      onBytes(in, false);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * Opens every whole frame; each payload is one IP packet.
   *
   * @param plain true for the first frame's data, which is already open (a client may put a packet there)
   */
  private void onBytes(ByteBuf in, boolean plain) {
    try {
      if (closed) {
        return;
      }
      if (plain) {
        if (in.isReadable()) {
          server.toTun(in.retain(), this, learned);
        }
        return;
      }
      while (in.isReadable()) {
        if (next == null) {
          next = alloc.directBuffer(settings.mtu());
        }
        FrameDecoder.Result r = decoder.decodeOne(in, next);
        if (r == FrameDecoder.Result.NEED_MORE) {
          break;
        }
        if (r == FrameDecoder.Result.BAD) {
          LOG.fine(() -> "TUN: " + describe() + " sent a frame that does not open; closing it");
          close();
          return;
        }
        if (next.isReadable()) { // an empty frame is padding only
          ByteBuf packet = next;
          next = null;
          server.toTun(packet, this, learned);
        }
      }
    } finally {
      in.release();
    }
  }

  // ---- to the client ----

  @Override
  public void send(ByteBuf packet) {
    if (closed || !outbound.offer(packet)) {
      stats.drop(TunDrop.BACKLOG);
      packet.release();
      return;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      chctx.executor().execute(drainTask);
    }
  }

  private void drain() {
    drainScheduled.set(false);
    boolean wrote = false;
    ByteBuf p;
    while ((p = outbound.poll()) != null) {
      if (closed || !chctx.channel().isWritable()) {
        stats.drop(TunDrop.BACKLOG);
        p.release();
        continue;
      }
      try {
        int len = p.readableBytes();
        int pad = settings.padding().padFor(len, firstFrame);
        ByteBuf out = alloc.directBuffer(len + Frames.FRAME_OVERHEAD + pad);
        try {
          encoder.encodeFrame(p, p.readerIndex(), len, pad, out);
        } catch (RuntimeException e) {
          out.release();
          throw e;
        }
        chctx.write(out, chctx.voidPromise());
        wrote = true;
      } finally {
        p.release();
      }
    }
    if (wrote) {
      chctx.flush();
    }
  }

  // ---- end ----

  private void onClosed() {
    if (!closed) {
      closed = true;
      cleanUp();
    }
  }

  void close() {
    if (chctx.executor().inEventLoop()) {
      doClose();
    } else {
      chctx.executor().execute(this::doClose);
    }
  }

  private void doClose() {
    if (closed) {
      return;
    }
    closed = true;
    socket.close();
    cleanUp();
  }

  private void cleanUp() {
    LOG.fine(() -> "TUN: " + describe() + " closed");
    server.streamClosed(this);
    decoder.release();
    if (next != null) {
      next.release();
      next = null;
    }
    ByteBuf p;
    while ((p = outbound.poll()) != null) {
      p.release();
    }
  }

  @Override
  public String describe() {
    return "tcp stream from " + socket.remoteAddress() + " on port " + h.port();
  }
}
