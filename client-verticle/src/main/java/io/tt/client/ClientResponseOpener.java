package io.tt.client;

import io.netty.buffer.ByteBuf;
import io.tt.common.relay.DecoderOpener;
import io.tt.common.relay.FrameOpener;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.FrameDecoder;
import io.tt.common.wire.ReplyStatus;

import java.util.function.Consumer;

/**
 * Reads the server's salt and first frame (it must echo our salt), then opens frames like any decoder. A refusal
 * (non-zero status) is reported to {@code onRefused} before the relay ends.
 */
final class ClientResponseOpener implements FrameOpener {

  private final ClientHandshake handshake;
  private final Consumer<ReplyStatus> onRefused;
  /** Set once the server's first frame is accepted. */
  private DecoderOpener frames;

  ClientResponseOpener(ClientHandshake handshake, Consumer<ReplyStatus> onRefused) {
    this.handshake = handshake;
    this.onRefused = onRefused;
  }

  @Override
  public boolean open(ByteBuf in, ByteBuf out) {
    if (frames == null) {
      ClientHandshake.Step step = handshake.feed(in, out);
      if (step == ClientHandshake.Step.NEED_MORE) {
        return true;
      }
      if (step == ClientHandshake.Step.FAILED) {
        onRefused.accept(ReplyStatus.GENERAL_FAILURE);
        return false;
      }
      if (handshake.status() != ReplyStatus.OK) {
        onRefused.accept(handshake.status());
        return false;
      }
      frames = new DecoderOpener(handshake.decoder());
    }
    return frames.open(in, out);
  }

  @Override
  public boolean prefersArrays(int length) {
    return frames != null && frames.prefersArrays(length); // the handshake's first frame goes the usual way
  }

  @Override
  public int pendingBytes() {
    FrameDecoder d = handshake.decoder();
    return d == null ? 0 : d.pendingBytes();
  }

  @Override
  public void release() {
    FrameDecoder d = handshake.decoder();
    if (d != null) {
      d.release();
    }
  }
}
