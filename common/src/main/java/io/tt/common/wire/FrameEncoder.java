package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;

/**
 * Seals payload into frames for one stream direction:
 * {@code seal(len(2) || padLen(1)) || seal(payload || zeros(padLen))}, each seal taking the next counter nonce.
 * After {@link #startMux()} every frame is a mux frame, whose header also carries a type and a stream
 * (PROTOCOL.md section 5.3). Not thread-safe; one per connection direction.
 */
public final class FrameEncoder {

  /**
   * The frames of a burst's first {@link #BURST_START} bytes carry at most this much, whatever {@code chunk} allows:
   * the receiver opens a frame only once all of it has come, so on a slow link a small first frame reaches the
   * application sooner (as TLS's dynamic record sizing). A burst is what is sealed without a pause of
   * {@link #BURST_GAP_NANOS}; bulk then goes in the largest frames, which cost fewer seals per byte.
   */
  public static final int START_CHUNK = 16384;
  static final int BURST_START = 256 * 1024;
  static final long BURST_GAP_NANOS = 1_000_000_000L;

  private final Aead aead;
  private final Padding padding;
  private final int chunk;
  /** Bytes sealed in this burst, up to {@link #BURST_START}. */
  private int burstBytes;
  private long lastSealNanos;
  private final ByteBuf header = Unpooled.buffer(Frames.MUX_HEADER_PLAIN, Frames.MUX_HEADER_PLAIN);
  private long counter;
  private boolean first = true;
  private boolean mux;

  /**
   * @param chunk largest payload per frame (1..65535); larger input is split, and early in a burst into frames of
   *     at most {@link #START_CHUNK}
   */
  public FrameEncoder(Aead aead, Padding padding, int chunk) {
    if (chunk < 1 || chunk > Frames.MAX_PAYLOAD) {
      throw new IllegalArgumentException("frame payload size must be 1..65535");
    }
    this.aead = aead;
    this.padding = padding;
    this.chunk = chunk;
  }

  /** From now on every frame is a mux frame (after the first frame of a MUX connection). */
  public void startMux() {
    mux = true;
  }

  public boolean isMux() {
    return mux;
  }

  /**
   * Upper bound of the bytes {@link #encode} (or, in mux mode, {@link #encodeMuxData}) appends for
   * {@code payloadLength} bytes of payload.
   */
  public int maxEncodedLength(int payloadLength) {
    int smallest = Math.min(chunk, START_CHUNK);
    int frames = Math.max(1, (payloadLength + smallest - 1) / smallest);
    return payloadLength + frames * ((mux ? Frames.MUX_FRAME_OVERHEAD : Frames.FRAME_OVERHEAD) + Frames.MAX_PADDING);
  }

  /**
   * The largest payload that, after a connection's first frame, seals to at most {@code sealedLimit} bytes with
   * the most padding its frames may get: what one read of a plain socket may take so that it leaves as one
   * loopback TCP segment ({@link io.tt.common.net.SegmentSizedReads}).
   */
  public int largestPayloadWithin(int sealedLimit) {
    int smallest = Math.min(chunk, START_CHUNK); // a burst's first frames are the most, so the most overhead
    int perFrame = mux ? Frames.MUX_FRAME_OVERHEAD : Frames.FRAME_OVERHEAD;
    int frames = (sealedLimit + smallest + perFrame - 1) / (smallest + perFrame); // at most this many frames fit
    int payload = sealedLimit - frames * perFrame;
    for (int over; payload > 1 && (over = maxSealed(payload, smallest) - sealedLimit) > 0; ) {
      payload -= over; // padding may push it over; it only shrinks, so this ends
    }
    return Math.max(1, payload);
  }

  /** The most {@code payload} bytes seal to in frames of {@code size}, after a connection's first frame. */
  private int maxSealed(int payload, int size) {
    int perFrame = mux ? Frames.MUX_FRAME_OVERHEAD : Frames.FRAME_OVERHEAD;
    int full = payload / size;
    int last = payload % size;
    int n = payload + (full + (last > 0 ? 1 : 0)) * perFrame;
    if (padding.pads(size, false)) {
      n += full * Frames.MAX_PADDING;
    }
    if (last > 0 && padding.pads(last, false)) {
      n += Frames.MAX_PADDING;
    }
    return n;
  }

  /** Seals all readable bytes of {@code payload} (consuming them) as one or more frames appended to {@code out}. */
  public void encode(ByteBuf payload, ByteBuf out) {
    if (mux) {
      throw new IllegalStateException("a mux connection carries mux frames only");
    }
    int size = frameSize(payload.readableBytes());
    do {
      int len = Math.min(size, payload.readableBytes());
      encodeFrame(payload, payload.readerIndex(), len, padding.padFor(len, first), out);
      payload.skipBytes(len);
    } while (payload.isReadable());
  }

  /** The largest payload per frame for the next {@code payloadLength} bytes: small early in a burst. */
  private int frameSize(int payloadLength) {
    if (chunk <= START_CHUNK) {
      return chunk;
    }
    long now = System.nanoTime();
    if (now - lastSealNanos > BURST_GAP_NANOS) {
      burstBytes = 0;
    }
    lastSealNanos = now;
    int size = burstBytes < BURST_START ? START_CHUNK : chunk;
    burstBytes = (int) Math.min(BURST_START, (long) burstBytes + payloadLength);
    return size;
  }

  /** Seals a frame that carries only padding (cover traffic; in mux mode a NOOP frame); the peer discards it. */
  public void encodePaddingOnly(int padLength, ByteBuf out) {
    if (mux) {
      encodeMuxFrame(MuxFrameType.NOOP, 0, Unpooled.EMPTY_BUFFER, 0, 0, padLength, out);
    } else {
      encodeFrame(Unpooled.EMPTY_BUFFER, 0, 0, padLength, out);
    }
  }

  /** Mux mode: seals all readable bytes of {@code payload} (consuming them) as DATA frames of {@code stream}. */
  public void encodeMuxData(int stream, ByteBuf payload, ByteBuf out) {
    int size = frameSize(payload.readableBytes());
    while (payload.isReadable()) {
      int len = Math.min(size, payload.readableBytes());
      encodeMuxFrame(MuxFrameType.DATA, stream, payload, payload.readerIndex(), len, padding.padFor(len, first), out);
      payload.skipBytes(len);
    }
  }

  /** Mux mode: seals one frame of {@code type} and {@code stream} whose payload is {@code len} bytes of {@code src}. */
  public void encodeMux(MuxFrameType type, int stream, ByteBuf src, int index, int len, ByteBuf out) {
    encodeMuxFrame(type, stream, src, index, len, padding.padFor(len, first), out);
  }

  /** Mux mode: one frame with an explicit padding length (vectors and tests use this). */
  public void encodeMuxFrame(MuxFrameType type, int stream, ByteBuf src, int index, int len, int padLength,
                             ByteBuf out) {
    if (!mux) {
      throw new IllegalStateException("not a mux connection");
    }
    if (len > Frames.MAX_PAYLOAD || padLength < 0 || padLength > Frames.MAX_PADDING) {
      throw new IllegalArgumentException("frame out of bounds: payload " + len + ", padding " + padLength);
    }
    out.ensureWritable(Frames.MUX_FRAME_OVERHEAD + len + padLength);
    header.clear();
    header.writeShort(len);
    header.writeByte(padLength);
    header.writeByte(type.code());
    header.writeInt(stream);
    aead.seal(counter++, header, 0, Frames.MUX_HEADER_PLAIN, out);
    aead.seal(counter++, src, index, len, padLength, out);
    first = false;
  }

  /** Seals one frame with an explicit padding length (vectors and tests use this). */
  public void encodeFrame(ByteBuf src, int index, int len, int padLength, ByteBuf out) {
    if (len > Frames.MAX_PAYLOAD || padLength < 0 || padLength > Frames.MAX_PADDING) {
      throw new IllegalArgumentException("frame out of bounds: payload " + len + ", padding " + padLength);
    }
    if (mux) {
      throw new IllegalStateException("a mux connection carries mux frames only");
    }
    out.ensureWritable(Frames.FRAME_OVERHEAD + len + padLength);
    header.clear();
    header.writeShort(len);
    header.writeByte(padLength);
    aead.seal(counter++, header, 0, Frames.HEADER_PLAIN, out);
    aead.seal(counter++, src, index, len, padLength, out);
    first = false;
  }

  /** Whether frames of {@code payloadLength} bytes are cheapest sealed into a heap buffer ({@link Aead#prefersArrays}). */
  public boolean prefersArrays(int payloadLength) {
    return aead.prefersArrays(Math.min(payloadLength, chunk));
  }

  /** The largest payload per frame. */
  public int chunk() {
    return chunk;
  }

  public long counter() {
    return counter;
  }
}
