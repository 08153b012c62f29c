package io.tt.common.relay;

import io.netty.buffer.ByteBuf;

/** What the relay uses to turn tunnel bytes into plain bytes. */
public interface FrameOpener {

  /**
   * Opens every whole frame in {@code in} (consuming it), appending the payload to {@code out}.
   *
   * @return false if the stream must end (a frame failed to open, or the peer refused)
   */
  boolean open(ByteBuf in, ByteBuf out);

  /** Whether about {@code length} bytes of frames are cheapest opened into a heap buffer (see Aead#prefersArrays). */
  default boolean prefersArrays(int length) {
    return false;
  }

  /** Bytes held from earlier input; {@code in.readableBytes() + pendingBytes()} bounds the output. */
  int pendingBytes();

  /** Frees buffers held; called once when the relay ends. */
  void release();
}
