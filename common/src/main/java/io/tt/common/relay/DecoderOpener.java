package io.tt.common.relay;

import io.netty.buffer.ByteBuf;
import io.tt.common.wire.FrameDecoder;

/** The plain case: a frame decoder after the handshake. */
public final class DecoderOpener implements FrameOpener {

  private final FrameDecoder decoder;
  private long paddingFrames;

  public DecoderOpener(FrameDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public boolean open(ByteBuf in, ByteBuf out) {
    while (in.isReadable()) {
      int before = out.writerIndex();
      FrameDecoder.Result r = decoder.decodeOne(in, out);
      if (r == FrameDecoder.Result.BAD) {
        return false;
      }
      if (r == FrameDecoder.Result.NEED_MORE) {
        break;
      }
      if (out.writerIndex() == before) {
        paddingFrames++; // cover traffic or keep-alive: nothing to deliver
      }
    }
    return true;
  }

  /** Frames that carried only padding so far. */
  public long paddingFrames() {
    return paddingFrames;
  }

  @Override
  public boolean prefersArrays(int length) {
    return decoder.prefersArrays(length);
  }

  @Override
  public int pendingBytes() {
    return decoder.pendingBytes();
  }

  @Override
  public void release() {
    decoder.release();
  }
}
