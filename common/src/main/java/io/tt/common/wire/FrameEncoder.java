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

  private final Aead aead;
  private final Padding padding;
  private final int chunk;
  private final ByteBuf header = Unpooled.buffer(Frames.MUX_HEADER_PLAIN, Frames.MUX_HEADER_PLAIN);
  private long counter;
  private boolean first = true;
  private boolean mux;

  /**
   * @param chunk largest payload per frame (1..65535); larger input is split
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
    int frames = Math.max(1, (payloadLength + chunk - 1) / chunk);
    return payloadLength + frames * ((mux ? Frames.MUX_FRAME_OVERHEAD : Frames.FRAME_OVERHEAD) + Frames.MAX_PADDING);
  }

  /**
   * The largest payload that, after a connection's first frame, seals to at most {@code sealedLimit} bytes with
   * the most padding its frames may get: what one read of a plain socket may take so that it leaves as one
   * loopback TCP segment ({@link io.tt.common.net.SegmentSizedReads}).
   */
  public int largestPayloadWithin(int sealedLimit) {
    int perFrame = mux ? Frames.MUX_FRAME_OVERHEAD : Frames.FRAME_OVERHEAD;
    int frames = (sealedLimit + chunk + perFrame - 1) / (chunk + perFrame); // at most this many frames fit
    int payload = sealedLimit - frames * perFrame;
    for (int over; payload > 1 && (over = maxSealed(payload) - sealedLimit) > 0; ) {
      payload -= over; // padding may push it over; it only shrinks, so this ends
    }
    return Math.max(1, payload);
  }

  /** The most {@code payload} bytes seal to after a connection's first frame, padding included. */
  private int maxSealed(int payload) {
    int perFrame = mux ? Frames.MUX_FRAME_OVERHEAD : Frames.FRAME_OVERHEAD;
    int full = payload / chunk;
    int last = payload % chunk;
    int n = payload + (full + (last > 0 ? 1 : 0)) * perFrame;
    if (padding.pads(chunk, false)) {
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
    do {
      int len = Math.min(chunk, payload.readableBytes());
      encodeFrame(payload, payload.readerIndex(), len, padding.padFor(len, first), out);
      payload.skipBytes(len);
    } while (payload.isReadable());
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
    while (payload.isReadable()) {
      int len = Math.min(chunk, payload.readableBytes());
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

  /** The largest payload per frame. */
  public int chunk() {
    return chunk;
  }

  public long counter() {
    return counter;
  }
}
