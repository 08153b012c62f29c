package io.tt.common.relay;

import io.netty.buffer.ByteBuf;
import io.tt.common.wire.FrameDecoder;

/** The plain case: a frame decoder after the handshake. */
public final class DecoderOpener implements FrameOpener {

  private final FrameDecoder decoder;

  public DecoderOpener(FrameDecoder decoder) {
    this.decoder = decoder;
  }

  @Override
  public boolean open(ByteBuf in, ByteBuf out) {
    while (in.isReadable()) {
      FrameDecoder.Result r = decoder.decodeOne(in, out);
      if (r == FrameDecoder.Result.BAD) {
        return false;
      }
      if (r == FrameDecoder.Result.NEED_MORE) {
        break;
      }
    }
    return true;
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
