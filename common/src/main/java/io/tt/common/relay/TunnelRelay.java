package io.tt.common.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tt.common.net.HeapSend;
import io.tt.common.net.SegmentSizedReads;
import io.tt.common.wire.FrameEncoder;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * Pipes a plain socket and a tunnel socket: plain bytes are sealed into frames one way, frames opened the other.
 *
 * <p>The hot path: raw pooled ByteBufs straight from Netty (no copy to a heap Buffer), one output buffer per read
 * sized from the input, the connection's cipher objects reused, back-pressure both ways (a side is paused while
 * the other's write queue is full). Runs entirely on the connection's event loop.
 */
public final class TunnelRelay implements CoverTraffic.Covered {

  /** Told once when the relay ends, with the bytes moved each way. */
  public interface Listener {
    void closed(long plainToTunnelBytes, long tunnelToPlainBytes, boolean authFailure);
  }

  private final NetSocketInternal plain;
  private final NetSocketInternal tunnel;
  private final FrameEncoder encoder;
  private final FrameOpener opener;
  private final ByteBufAllocator alloc;
  /** Send from heap arrays (frames the JDK sealed, plaintext it opened) without a copy; null where they cannot. */
  private final HeapSend toTunnel;
  private final HeapSend toPlain;
  private final Listener listener;
  private long up;
  private long down;
  /** When plain bytes last went into the tunnel (cover traffic fills the gaps). */
  private long lastSendNanos = System.nanoTime();
  private boolean authFailure;
  private boolean closed;
  /** The last writes each way: a side that ends is closed on the other only after they are on the wire. */
  private Future<Void> lastToTunnel = Future.succeededFuture();
  private Future<Void> lastToPlain = Future.succeededFuture();
  /** Bytes that must reach the tunnel before its first frame, held back to share a segment with it (or null). */
  private ByteBuf heldOpening;

  private TunnelRelay(NetSocketInternal plain, NetSocketInternal tunnel, FrameEncoder encoder, FrameOpener opener,
                      Listener listener) {
    this.plain = plain;
    this.tunnel = tunnel;
    this.encoder = encoder;
    this.opener = opener;
    this.alloc = tunnel.channelHandlerContext().alloc();
    this.toTunnel = HeapSend.of(tunnel.channelHandlerContext().channel());
    this.toPlain = HeapSend.of(plain.channelHandlerContext().channel());
    this.listener = listener;
  }

  /**
   * Starts relaying. Both sockets should be paused by the caller while it wires things up; they are resumed here.
   */
  public static TunnelRelay start(NetSocketInternal plain, NetSocketInternal tunnel, FrameEncoder encoder,
                                  FrameOpener opener, Listener listener) {
    return start(plain, tunnel, encoder, opener, listener, null);
  }

  /**
   * Starts relaying, and sends {@code opening} (the server's reply) ahead of the first frame from the plain side, in
   * the same write: one segment and one wake-up of the peer instead of two, as ss-server's first chunk. It goes
   * alone when the plain side ends first. Only for a peer that needs nothing from the opening to go on (the client
   * has sent its first data already), since it may wait as long as the plain side is silent.
   */
  public static TunnelRelay start(NetSocketInternal plain, NetSocketInternal tunnel, FrameEncoder encoder,
                                  FrameOpener opener, Listener listener, ByteBuf opening) {
    TunnelRelay r = new TunnelRelay(plain, tunnel, encoder, opener, listener);
    r.heldOpening = opening;
    new SegmentSizedReads(encoder.largestPayloadWithin(SegmentSizedReads.LOOPBACK_SEGMENT))
        .applyTo(plain.channelHandlerContext().channel());
    plain.messageHandler(r::fromPlain);
    tunnel.messageHandler(r::fromTunnel);
    plain.drainHandler(v -> tunnel.resume());
    tunnel.drainHandler(v -> plain.resume());
    // When one side ends, what was read from it still has to reach the other before that one closes too.
    plain.closeHandler(v -> {
      r.flushOpening();
      r.lastToTunnel.onComplete(x -> r.close());
    });
    tunnel.closeHandler(v -> r.lastToPlain.onComplete(x -> r.close()));
    plain.exceptionHandler(t -> r.close());
    tunnel.exceptionHandler(t -> r.close());
    plain.resume();
    tunnel.resume();
    return r;
  }

  private void fromPlain(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    int n = in.readableBytes();
    if (closed || n == 0) {
      in.release();
      return;
    }
    ByteBuf held = heldOpening;
    int heldBytes = held == null ? 0 : held.readableBytes();
    int max = heldBytes + encoder.maxEncodedLength(n);
    ByteBuf scratch = toTunnel != null && encoder.prefersArrays(n) && !tunnel.writeQueueFull()
        ? HeapSend.scratch(max) : null;
    ByteBuf out = scratch != null ? scratch : alloc.directBuffer(max);
    if (held != null) {
      heldOpening = null;
      out.writeBytes(held);
      held.release();
    }
    try {
      encoder.encode(in, out);
    } finally {
      in.release();
    }
    up += n;
    lastSendNanos = System.nanoTime();
    if (scratch != null) {
      toTunnel.send(scratch);
      out = HeapSend.restOfScratch(scratch, alloc);
      if (out == null) {
        return;
      }
    }
    lastToTunnel = tunnel.writeMessage(out);
    if (tunnel.writeQueueFull()) {
      plain.pause();
    }
  }

  private void fromTunnel(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    if (closed) {
      in.release();
      return;
    }
    writeOpened(in);
  }

  /** Opens every whole frame in {@code in} (released here) and writes the payload to the plain side. */
  public void writeOpened(ByteBuf in) {
    int max = Math.max(in.readableBytes() + opener.pendingBytes(), 1);
    // Opened into an array when the cipher works on arrays and the plaintext can be sent from one (HeapSend).
    ByteBuf out = toPlain != null && opener.prefersArrays(max) ? alloc.heapBuffer(max) : alloc.directBuffer(max);
    boolean ok;
    try {
      ok = opener.open(in, out);
    } finally {
      in.release();
    }
    if (out.isReadable()) {
      down += out.readableBytes();
      if (toPlain != null && !plain.writeQueueFull()) {
        toPlain.send(out); // consumes what the socket took at once
      }
    }
    if (out.isReadable()) {
      lastToPlain = plain.writeMessage(out);
      if (plain.writeQueueFull()) {
        tunnel.pause();
      }
    } else {
      out.release();
    }
    if (!ok) {
      authFailure = true;
      close();
    }
  }

  /** Sends the held opening on its own (the plain side ended without a byte). */
  private void flushOpening() {
    ByteBuf held = heldOpening;
    if (held != null && !closed) {
      heldOpening = null;
      lastToTunnel = tunnel.writeMessage(held);
    }
  }

  /** Nanoseconds since plain bytes were last sent into the tunnel. */
  @Override
  public long idleNanos() {
    return System.nanoTime() - lastSendNanos;
  }

  /** Sends a frame of padding only (the peer discards it), so an idle tunnel does not look idle. */
  @Override
  public void sendCover(int padLength) {
    if (closed || tunnel.writeQueueFull()) {
      return;
    }
    ByteBuf out = alloc.directBuffer(io.tt.common.wire.Frames.FRAME_OVERHEAD + padLength);
    encoder.encodePaddingOnly(padLength, out);
    lastToTunnel = tunnel.writeMessage(out);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Closes both sides once; pending writes are flushed before each socket closes. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (heldOpening != null) {
      heldOpening.release();
      heldOpening = null;
    }
    opener.release();
    plain.close();
    tunnel.close();
    listener.closed(up, down, authFailure);
  }
}
