package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.function.Consumer;

/**
 * The first write of either direction: {@code salt || frames(head || data)}. The head is the client's request or
 * the server's response; the data, the first bytes for the other end, travels in the same frame.
 */
final class OpeningBytes {

  private OpeningBytes() {
  }

  /** {@code data} may be null; it is read, not released. */
  static ByteBuf of(ByteBufAllocator alloc, byte[] salt, FrameEncoder encoder, int headLength, Consumer<ByteBuf> head,
                    ByteBuf data) {
    int dataLen = data == null ? 0 : data.readableBytes();
    ByteBuf payload = alloc.heapBuffer(headLength + dataLen);
    try {
      head.accept(payload);
      if (data != null) {
        payload.writeBytes(data);
      }
      ByteBuf out = alloc.buffer(Frames.SALT_LENGTH + encoder.maxEncodedLength(payload.readableBytes()));
      out.writeBytes(salt);
      encoder.encode(payload, out);
      return out;
    } finally {
      payload.release();
    }
  }
}
