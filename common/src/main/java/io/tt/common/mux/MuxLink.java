package io.tt.common.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.tt.common.net.HeapSend;
import io.tt.common.net.SegmentSizedReads;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.relay.CoverTraffic;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.FrameEncoder;
import io.tt.common.wire.Frames;
import io.tt.common.wire.MuxFrameType;
import io.tt.common.wire.ReplyStatus;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * One TT connection that carries many streams (PROTOCOL.md section 5.3), after its handshake: opens the mux
 * frames that arrive and hands each to its {@link MuxStream}, seals what the streams send, and keeps the streams
 * from outrunning the socket (a full write queue pauses every stream's plain side until it drains). The side that
 * owns it (client or server) learns of OPEN and REPLY frames through its {@link Peer}. Runs on one event loop.
 */
public final class MuxLink implements CoverTraffic.Covered {

  private static final Logger LOG = Logger.getLogger(MuxLink.class.getName());

  /** What only one side does. */
  public interface Peer {
    /**
     * Server: an OPEN for a new stream to {@code target}. The peer calls {@link #accept} (and then connects) or
     * {@link #refuse}, before it returns; the OPEN's data then goes to the accepted stream.
     */
    default void opened(MuxLink link, int stream, TargetAddress target, boolean holdReply) {
      link.fail("OPEN sent to a client");
    }

    /** Client: the server refused a stream (after the stream's own handler heard of it). */
    default void refused(MuxStream stream, ReplyStatus status) {
    }

    /** A NOOP frame came (cover traffic or a keep-alive). */
    default void coverFrame() {
    }

    /** A stream ended, with its byte counts. */
    default void streamEnded(MuxStream stream) {
    }

    /** The link closed (every stream is closed); {@code protocolError} when the peer broke the protocol. */
    void linkClosed(MuxLink link, boolean protocolError);
  }

  private final NetSocketInternal tunnel;
  private final FrameEncoder encoder;
  private final SegmentSizedReads plainReads;
  /** Sends DATA frames sealed into a heap array without a copy into native memory; null where that does not apply. */
  private final HeapSend heapSend;
  /** Set by {@link #start}: the client sends its first OPEN before the server's salt is there to key it. */
  private FrameDecoder decoder;
  private final ByteBufAllocator alloc;
  private final boolean server;
  private final long receiveWindow;
  private final Peer peer;
  private final IntObjectHashMap<MuxStream> streams = new IntObjectHashMap<>();
  /** Highest stream opened on this link (unsigned): a frame above it is an error, at or below it stale. */
  private int highestOpened;
  private boolean backedUp;
  /** The last write: a graceful close waits for it. */
  private io.vertx.core.Future<Void> lastWrite = io.vertx.core.Future.succeededFuture();
  private boolean closed;
  private boolean protocolError;
  private long lastSendNanos = System.nanoTime();
  private long idleSinceNanos = System.nanoTime();
  private long streamsOpened;

  /**
   * A link that can send at once; it reads once {@link #start} gives it the decoder. Takes over the connection's
   * close, drain and exception handlers.
   *
   * @param tunnel the connection, past the first frame each way it has sent (the encoder in mux mode)
   * @param server whether this is the server's side (it accepts OPEN, the client's accepts REPLY)
   * @param receiveWindow the credit each stream gives the peer (see {@link MuxWindow})
   */
  public MuxLink(NetSocketInternal tunnel, FrameEncoder encoder, boolean server, long receiveWindow, Peer peer) {
    if (!encoder.isMux()) {
      throw new IllegalArgumentException("the encoder must be in mux mode");
    }
    this.tunnel = tunnel;
    this.encoder = encoder;
    this.plainReads = new SegmentSizedReads(encoder.largestPayloadWithin(SegmentSizedReads.LOOPBACK_SEGMENT));
    this.alloc = tunnel.channelHandlerContext().alloc();
    this.heapSend = HeapSend.of(tunnel.channelHandlerContext().channel());
    this.server = server;
    this.receiveWindow = receiveWindow;
    this.peer = peer;
    tunnel.drainHandler(v -> drained());
    tunnel.closeHandler(v -> closeAll(false));
    tunnel.exceptionHandler(t -> {
      LOG.fine(() -> "mux connection error: " + t);
      Closing.hard(tunnel);
    });
  }

  /**
   * Starts reading mux frames with {@code decoder} (past the peer's first frame, in mux mode); {@code first} (may
   * be null) holds bytes that came after that frame (released here).
   */
  public void start(FrameDecoder decoder, ByteBuf first) {
    this.decoder = decoder;
    if (closed) {
      decoder.release();
      ReferenceCountUtil.release(first);
      return;
    }
    tunnel.messageHandler(this::fromTunnel);
    if (first != null) {
      fromTunnel(first);
    }
    tunnel.resume();
  }

  ByteBufAllocator alloc() {
    return alloc;
  }

  public NetSocketInternal socket() {
    return tunnel;
  }

  /** Streams open now. */
  public int streamCount() {
    return streams.size();
  }

  /** Streams opened over the link's life. */
  public long streamsOpened() {
    return streamsOpened;
  }

  /** Since when the link has had no stream (meaningless while it has some). */
  public long idleSinceNanos() {
    return idleSinceNanos;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** How the streams' plain sockets read: no more than their DATA frames can carry in one loopback segment. */
  SegmentSizedReads plainReads() {
    return plainReads;
  }

  boolean isBackedUp() {
    return backedUp;
  }

  // ------------------------------------------------------------------------------------------------ opening

  /** OPEN flag: the client does not wait for a success REPLY, which may then travel with the target's first bytes. */
  public static final int OPEN_HOLD_REPLY = 0x01;

  /**
   * Client: opens a new stream to {@code target}; {@code data} (may be null; consumed, not released) goes in the
   * OPEN frame and, what does not fit there, in DATA frames after it, in the same write. {@code holdReply} when the
   * application does not wait for the server's answer (SOCKS5 answered at once): the success REPLY then comes
   * with the target's first bytes, one frame and one wake-up fewer.
   */
  public MuxStream open(TargetAddress target, ByteBuf data, boolean holdReply) {
    if (server || closed) {
      throw new IllegalStateException(closed ? "mux connection closed" : "only a client opens streams");
    }
    if (highestOpened == -1) {
      throw new IllegalStateException("stream numbers used up");
    }
    int id = highestOpened + 1;
    MuxStream s = register(id);
    int dataLen = data == null ? 0 : data.readableBytes();
    int first = Math.min(dataLen, Math.max(0, encoder.chunk() - 1 - target.encodedLength()));
    ByteBuf payload = alloc.heapBuffer(1 + target.encodedLength() + first);
    payload.writeByte(holdReply ? OPEN_HOLD_REPLY : 0);
    target.encode(payload);
    if (first > 0) {
      payload.writeBytes(data, first);
    }
    int rest = dataLen - first;
    ByteBuf out = alloc.directBuffer(encoder.maxEncodedLength(payload.readableBytes())
        + (rest > 0 ? encoder.maxEncodedLength(rest) : 0));
    encoder.encodeMux(MuxFrameType.OPEN, id, payload, 0, payload.readableBytes(), out);
    payload.release();
    if (rest > 0) {
      encoder.encodeMuxData(id, data, out);
    }
    s.sentWithOpen(dataLen);
    write(out);
    return s;
  }

  /** Server: takes the stream of an OPEN (from {@link Peer#opened}). */
  public MuxStream accept(int id) {
    return register(id);
  }

  private MuxStream register(int id) {
    MuxStream s = new MuxStream(this, id, receiveWindow);
    highestOpened = id;
    streams.put(id, s);
    streamsOpened++;
    return s;
  }

  /**
   * Server: refuses a stream (its target could not be reached, or too many streams) with a non-zero status. Not
   * reported to {@link Peer#streamEnded}: a stream ends either way, refused or ended, once. A stream the client
   * closed meanwhile gets no REPLY; what came for it is dropped all the same.
   */
  public void refuse(MuxStream s, ReplyStatus status) {
    boolean live = !s.isClosed();
    s.abort(); // drops what came for it, also when the client closed it first
    if (streams.remove(s.id()) != null) {
      noteIfIdle();
    }
    if (live && !closed) {
      sendReply(s.id(), status, null);
    }
  }

  // ------------------------------------------------------------------------------------------------ sending

  void sendData(int stream, ByteBuf data) {
    if (closed) {
      data.release();
      return;
    }
    int max = encoder.maxEncodedLength(data.readableBytes());
    ByteBuf scratch = heapSend != null && encoder.prefersArrays(data.readableBytes()) && !tunnel.writeQueueFull()
        ? HeapSend.scratch(max) : null;
    ByteBuf out = scratch != null ? scratch : alloc.directBuffer(max);
    try {
      encoder.encodeMuxData(stream, data, out);
    } finally {
      data.release();
    }
    if (scratch == null) {
      write(out);
      return;
    }
    heapSend.send(scratch);
    lastSendNanos = System.nanoTime();
    ByteBuf rest = HeapSend.restOfScratch(scratch, alloc);
    if (rest != null) {
      write(rest);
    }
  }

  /** A REPLY, and {@code data} (may be null; released) in the same write. */
  void sendReply(int stream, ReplyStatus status, ByteBuf data) {
    if (closed) {
      ReferenceCountUtil.release(data);
      return;
    }
    int dataLen = data == null ? 0 : data.readableBytes();
    ByteBuf out = alloc.directBuffer(encoder.maxEncodedLength(1) + (dataLen > 0 ? encoder.maxEncodedLength(dataLen) : 0));
    ByteBuf code = Unpooled.wrappedBuffer(new byte[] {(byte) status.code()});
    encoder.encodeMux(MuxFrameType.REPLY, stream, code, 0, 1, out);
    if (data != null) {
      try {
        encoder.encodeMuxData(stream, data, out);
      } finally {
        data.release();
      }
    }
    write(out);
  }

  void sendWindow(int stream, long increment) {
    if (closed) {
      return;
    }
    ByteBuf inc = Unpooled.buffer(4, 4).writeInt((int) increment);
    ByteBuf out = alloc.directBuffer(encoder.maxEncodedLength(4));
    encoder.encodeMux(MuxFrameType.WINDOW, stream, inc, 0, 4, out);
    write(out);
  }

  private void sendClose(int stream) {
    ByteBuf out = alloc.directBuffer(encoder.maxEncodedLength(0));
    encoder.encodeMux(MuxFrameType.CLOSE, stream, Unpooled.EMPTY_BUFFER, 0, 0, out);
    write(out);
  }

  private void write(ByteBuf out) {
    lastSendNanos = System.nanoTime();
    lastWrite = tunnel.writeMessage(out);
    if (!backedUp && tunnel.writeQueueFull()) {
      backedUp = true;
      // Every stream stops reading its plain side until the socket drains.
      for (MuxStream s : snapshot()) {
        s.updateReading();
      }
    }
  }

  private void drained() {
    if (backedUp) {
      backedUp = false;
      for (MuxStream s : snapshot()) {
        s.updateReading();
      }
    }
  }

  private List<MuxStream> snapshot() {
    return new ArrayList<>(streams.values());
  }

  /** A stream ended; {@code sendClose} when it ended on this side (the peer learns with a CLOSE frame). */
  void streamEnded(MuxStream s, boolean sendClose) {
    if (streams.remove(s.id()) == null) {
      return;
    }
    if (sendClose && !closed) {
      sendClose(s.id());
    }
    noteIfIdle();
    peer.streamEnded(s);
  }

  private void noteIfIdle() {
    if (streams.isEmpty()) {
      idleSinceNanos = System.nanoTime();
    }
  }

  // ------------------------------------------------------------------------------------------------ receiving

  private void fromTunnel(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (closed) {
      in.release();
      return;
    }
    int max = Math.max(in.readableBytes() + decoder.pendingBytes(), 1);
    // Opened into an array when the cipher works on arrays and the streams can send from one (HeapSend).
    ByteBuf out = HeapSend.AVAILABLE && decoder.prefersArrays(max) ? alloc.heapBuffer(max) : alloc.directBuffer(max);
    try {
      decodeAll(in, out);
    } finally {
      in.release();
      out.release();
    }
  }

  /**
   * Opens every whole frame of {@code in} into {@code out}; consecutive DATA frames of one stream reach it as one
   * slice (one write to its plain side per read, as without mux).
   */
  private void decodeAll(ByteBuf in, ByteBuf out) {
    MuxStream run = null;
    int runStart = 0;
    while (in.isReadable() && !closed) {
      int before = out.writerIndex();
      FrameDecoder.Result r = decoder.decodeOne(in, out);
      if (r == FrameDecoder.Result.NEED_MORE) {
        break;
      }
      if (r == FrameDecoder.Result.BAD) {
        fail("a frame did not authenticate");
        return;
      }
      MuxFrameType type = MuxFrameType.of(decoder.frameType());
      int id = decoder.stream();
      int len = out.writerIndex() - before;
      if (type == MuxFrameType.DATA) {
        MuxStream s = live(id);
        if (closed) {
          return;
        }
        if (s != run) {
          flushRun(run, out, runStart, before);
          run = s;
          runStart = before;
        }
        if (s == null) {
          out.writerIndex(before); // stale: the stream ended here already
        }
        continue;
      }
      flushRun(run, out, runStart, before);
      run = null;
      ByteBuf payload = out.slice(before, len);
      control(type, id, payload);
      out.writerIndex(before);
    }
    flushRun(run, out, runStart, out.writerIndex());
  }

  private void flushRun(MuxStream s, ByteBuf out, int from, int to) {
    if (s != null && to > from && !closed) {
      s.onData(out.retainedSlice(from, to - from));
    }
  }

  /** The live stream {@code id}, or null for a stale one; a stream never opened fails the link. */
  private MuxStream live(int id) {
    MuxStream s = streams.get(id);
    if (s == null && (id == 0 || Integer.compareUnsigned(id, highestOpened) > 0)) {
      fail("frame for a stream never opened");
    }
    return s;
  }

  private void control(MuxFrameType type, int id, ByteBuf payload) {
    if (type == null) {
      fail("unknown frame type");
      return;
    }
    switch (type) {
      case NOOP -> peer.coverFrame();
      case OPEN -> onOpen(id, payload);
      case REPLY -> {
        if (server || payload.readableBytes() != 1) {
          fail("bad REPLY");
          return;
        }
        MuxStream s = live(id);
        ReplyStatus status = ReplyStatus.of(payload.getUnsignedByte(payload.readerIndex()));
        if (s != null) {
          ReplyStatus st = status == null ? ReplyStatus.GENERAL_FAILURE : status;
          s.onReply(st);
          if (st != ReplyStatus.OK) {
            peer.refused(s, st);
          }
        }
      }
      case CLOSE -> {
        if (payload.isReadable()) {
          fail("bad CLOSE");
          return;
        }
        MuxStream s = live(id);
        if (s != null) {
          s.onPeerClose();
        }
      }
      case WINDOW -> {
        if (payload.readableBytes() != 4) {
          fail("bad WINDOW");
          return;
        }
        MuxStream s = live(id);
        if (s != null) {
          s.granted(payload.getUnsignedInt(payload.readerIndex()));
        }
      }
      default -> fail("unexpected frame");
    }
  }

  private void onOpen(int id, ByteBuf payload) {
    if (!server || id == 0 || Integer.compareUnsigned(id, highestOpened) <= 0) {
      fail("bad OPEN");
      return;
    }
    if (!payload.isReadable() || (payload.getUnsignedByte(payload.readerIndex()) & ~OPEN_HOLD_REPLY) != 0) {
      fail("bad OPEN flags");
      return;
    }
    boolean holdReply = (payload.readUnsignedByte() & OPEN_HOLD_REPLY) != 0;
    TargetAddress target;
    try {
      target = TargetAddress.decode(payload);
    } catch (IllegalArgumentException e) {
      target = null;
    }
    if (target == null) {
      fail("bad OPEN target");
      return;
    }
    highestOpened = id;
    peer.opened(this, id, target, holdReply);
    MuxStream s = streams.get(id);
    if (s != null && payload.isReadable() && !closed) {
      ByteBuf data = alloc.directBuffer(payload.readableBytes());
      data.writeBytes(payload);
      s.onData(data);
    }
  }

  // ------------------------------------------------------------------------------------------------ closing

  /** The peer broke the protocol: the connection and every stream end. */
  void fail(String why) {
    if (closed) {
      return;
    }
    LOG.fine(() -> "mux connection closed: " + why);
    protocolError = true;
    close();
  }

  /** Closes the connection and every stream on it (what was written already goes out first). */
  public void close() {
    if (protocolError) {
      Closing.hard(tunnel);
    } else {
      Closing.afterWrites(tunnel, lastWrite);
    }
    closeAll(protocolError);
  }

  private void closeAll(boolean error) {
    if (closed) {
      return;
    }
    closed = true;
    if (decoder != null) {
      decoder.release();
    }
    for (MuxStream s : snapshot()) {
      s.abort();
      streams.remove(s.id());
      peer.streamEnded(s);
    }
    peer.linkClosed(this, error || protocolError);
  }

  // ------------------------------------------------------------------------------------------------ cover traffic

  @Override
  public long idleNanos() {
    return System.nanoTime() - lastSendNanos;
  }

  @Override
  public void sendCover(int padLength) {
    if (closed || tunnel.writeQueueFull()) {
      return;
    }
    ByteBuf out = alloc.directBuffer(Frames.MUX_FRAME_OVERHEAD + padLength);
    encoder.encodePaddingOnly(padLength, out);
    write(out);
  }
}
