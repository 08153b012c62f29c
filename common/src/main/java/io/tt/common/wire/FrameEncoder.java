package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;

/**
 * Seals payload into frames for one stream direction:
 * {@code seal(len(2) || padLen(1)) || seal(payload || zeros(padLen))}, each seal taking the next counter nonce.
 * Not thread-safe; one per connection direction.
 */
public final class FrameEncoder {

  private final Aead aead;
  private final Padding padding;
  private final int chunk;
  private final ByteBuf header = Unpooled.buffer(Frames.HEADER_PLAIN, Frames.HEADER_PLAIN);
  private long counter;
  private boolean first = true;

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

  /** Upper bound of the bytes {@link #encode} appends for {@code payloadLength} bytes of payload. */
  public int maxEncodedLength(int payloadLength) {
    int frames = Math.max(1, (payloadLength + chunk - 1) / chunk);
    return payloadLength + frames * (Frames.FRAME_OVERHEAD + Frames.MAX_PADDING);
  }

  /** Seals all readable bytes of {@code payload} (consuming them) as one or more frames appended to {@code out}. */
  public void encode(ByteBuf payload, ByteBuf out) {
    do {
      int len = Math.min(chunk, payload.readableBytes());
      encodeFrame(payload, payload.readerIndex(), len, padding.padFor(len, first), out);
      payload.skipBytes(len);
    } while (payload.isReadable());
  }

  /** Seals a frame that carries only padding (cover traffic); the peer discards it. */
  public void encodePaddingOnly(int padLength, ByteBuf out) {
    encodeFrame(Unpooled.EMPTY_BUFFER, 0, 0, padLength, out);
  }

  /** Seals one frame with an explicit padding length (vectors and tests use this). */
  public void encodeFrame(ByteBuf src, int index, int len, int padLength, ByteBuf out) {
    if (len > Frames.MAX_PAYLOAD || padLength < 0 || padLength > Frames.MAX_PADDING) {
      throw new IllegalArgumentException("frame out of bounds: payload " + len + ", padding " + padLength);
    }
    out.ensureWritable(Frames.FRAME_OVERHEAD + len + padLength);
    header.clear();
    header.writeShort(len);
    header.writeByte(padLength);
    aead.seal(counter++, header, 0, Frames.HEADER_PLAIN, out);
    aead.seal(counter++, src, index, len, padLength, out);
    first = false;
  }

  public long counter() {
    return counter;
  }
}
