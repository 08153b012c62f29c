package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;

/**
 * Opens frames of one stream direction, as an explicit state machine (HEADER -> BODY -> HEADER ...).
 *
 * <p>Input arrives in arbitrary pieces. Whole frames are opened straight from the input; only the part of a
 * frame cut by a read boundary is copied into a pending buffer, which never exceeds one sealed body
 * (65,806 bytes) and is released as soon as it is used. After {@link #startMux()} headers are mux headers, and
 * {@link #frameType()} and {@link #stream()} tell what each opened frame is. Not thread-safe; one per connection
 * direction.
 */
public final class FrameDecoder {

  public enum Result {
    /** The input is used up in the middle of a frame. */
    NEED_MORE,
    /** One frame was opened; its payload (possibly empty: a padding-only frame) was appended to the output. */
    FRAME,
    /** A header or body failed authentication: the stream is not ours or was tampered with. Stop reading. */
    BAD
  }

  private enum State { HEADER, BODY, FAILED }

  private final Aead aead;
  private final ByteBufAllocator alloc;
  private final ByteBuf headerPlain = Unpooled.buffer(Frames.MUX_HEADER_PLAIN, Frames.MUX_HEADER_PLAIN);
  private int headerSealed = Frames.HEADER_SEALED;
  private State state = State.HEADER;
  private int payloadLength;
  private int padLength;
  /** Mux mode: the type code and stream of the frame being opened (the code is checked by the caller). */
  private int typeCode;
  private int stream;
  private long counter;
  private ByteBuf pending;

  public FrameDecoder(Aead aead, ByteBufAllocator alloc) {
    this.aead = aead;
    this.alloc = alloc;
  }

  /**
   * A decoder whose first header was already opened (counter 0) by someone else, e.g. the server while it
   * tried its keys; it next expects that frame's body. Re-opening would reuse a nonce, which some
   * providers refuse even for decryption.
   */
  /** Whether frames of about {@code length} bytes are cheapest opened into a heap buffer ({@link Aead#prefersArrays}). */
  public boolean prefersArrays(int length) {
    return aead.prefersArrays(length);
  }

  public static FrameDecoder afterFirstHeader(Aead aead, ByteBufAllocator alloc, int payloadLength, int padLength) {
    FrameDecoder d = new FrameDecoder(aead, alloc);
    d.state = State.BODY;
    d.counter = 1;
    d.payloadLength = payloadLength;
    d.padLength = padLength;
    return d;
  }

  /**
   * From the next header on, headers are mux headers (PROTOCOL.md section 5.3). Call at a frame boundary, after
   * the first frame of a MUX connection.
   */
  public void startMux() {
    if (state != State.HEADER && state != State.FAILED) {
      throw new IllegalStateException("mux mode starts at a frame boundary");
    }
    headerSealed = Frames.MUX_HEADER_SEALED;
  }

  /** Bytes the current state still needs before it can make progress (for handshake deadlines and tests). */
  public int needed() {
    int need = state == State.HEADER ? headerSealed : payloadLength + padLength + Aead.TAG;
    return need - (pending == null ? 0 : pending.readableBytes());
  }

  /**
   * Consumes input until one frame is opened or the input runs out.
   * On {@link Result#FRAME} the payload was appended to {@code out}; call again while {@code in} is readable.
   */
  public Result decodeOne(ByteBuf in, ByteBuf out) {
    if (state == State.FAILED) {
      return Result.BAD;
    }
    int need = state == State.HEADER ? headerSealed : payloadLength + padLength + Aead.TAG;
    ByteBuf src;
    if (pending != null) {
      int take = Math.min(need - pending.readableBytes(), in.readableBytes());
      pending.writeBytes(in, take);
      if (pending.readableBytes() < need) {
        return Result.NEED_MORE;
      }
      src = pending;
    } else if (in.readableBytes() >= need) {
      src = in;
    } else {
      if (in.isReadable()) {
        // Direct: the AEAD reads it in place (libsodium) or stages it once (JDK); a heap buffer would send
        // libsodium to its JDK fallback when Netty prefers heap buffers (no Unsafe).
        pending = alloc.directBuffer(need, need);
        pending.writeBytes(in);
      }
      return Result.NEED_MORE;
    }
    boolean ok = state == State.HEADER ? openHeader(src) : openBody(src, out);
    src.skipBytes(need);
    if (src == pending) {
      pending.release();
      pending = null;
    }
    if (!ok) {
      state = State.FAILED;
      return Result.BAD;
    }
    if (state == State.HEADER) {
      state = State.BODY;
      return decodeOne(in, out);
    }
    state = State.HEADER;
    return Result.FRAME;
  }

  private boolean openHeader(ByteBuf src) {
    headerPlain.clear();
    if (!aead.open(counter++, src, src.readerIndex(), headerSealed, headerPlain)) {
      return false;
    }
    payloadLength = headerPlain.getUnsignedShort(0);
    padLength = headerPlain.getUnsignedByte(2);
    if (headerSealed == Frames.MUX_HEADER_SEALED) {
      typeCode = headerPlain.getUnsignedByte(3);
      stream = headerPlain.getInt(4);
    }
    return true;
  }

  private boolean openBody(ByteBuf src, ByteBuf out) {
    int sealed = payloadLength + padLength + Aead.TAG;
    int start = out.writerIndex();
    if (!aead.open(counter++, src, src.readerIndex(), sealed, out)) {
      return false;
    }
    out.writerIndex(start + payloadLength);
    return true;
  }

  /** Bytes of a cut frame held from earlier input: {@code in.readableBytes() + pendingBytes()} bounds the plaintext. */
  public int pendingBytes() {
    return pending == null ? 0 : pending.readableBytes();
  }

  /** Payload length announced by the last opened header (valid in BODY state and after FRAME). */
  public int payloadLength() {
    return payloadLength;
  }

  /** Mux mode: the type code in the last opened header (unchecked: {@link MuxFrameType#of} may say null). */
  public int frameType() {
    return typeCode;
  }

  /** Mux mode: the stream in the last opened header (an unsigned 32-bit number held in an int). */
  public int stream() {
    return stream;
  }

  /** Frees the pending buffer; call when the connection closes. */
  public void release() {
    if (pending != null) {
      pending.release();
      pending = null;
    }
    state = State.FAILED;
  }
}
