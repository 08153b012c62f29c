package io.tt.common.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Reads of a plain socket (the application's in the client, the target's in the server) small enough that what
 * one read becomes, its frames sealed, still fits one TCP segment on loopback. Netty reads up to 64 KiB; sealed as
 * four 16 KiB frames that is 65,696 bytes, more than loopback's MSS (65,483 with its 65,536 MTU), so every read
 * left as a full segment and a 213-byte one, and the receiver paid a second delivery, wake-up and ACK for each
 * (bench/README.md, change 22). Below the limit the sizes are Netty's adaptive guesses, so a connection that
 * carries little still reads into small buffers. Over a real link the limit changes nothing: its segments are
 * smaller than either size. One instance serves all the plain sockets of a mux connection.
 */
public final class SegmentSizedReads implements RecvByteBufAllocator {

  /**
   * Sealed bytes one read may become: loopback's MSS less room for IPv6's longer header and TCP options. Frames
   * padded in full (up to 255 bytes each) may still overflow it, as before.
   */
  public static final int LOOPBACK_SEGMENT = 65_400;

  /** Netty's defaults (64 B to 64 KiB, starting at 2 KiB), whose guesses are capped; it keeps no state per read. */
  private static final AdaptiveRecvByteBufAllocator ADAPTIVE = new AdaptiveRecvByteBufAllocator();

  private final int maxRead;

  /** Reads of at most {@code maxRead} bytes. */
  public SegmentSizedReads(int maxRead) {
    this.maxRead = maxRead;
  }

  /** Caps the reads of {@code channel} from now on. */
  public void applyTo(Channel channel) {
    channel.config().setRecvByteBufAllocator(this);
  }

  @Override
  public Handle newHandle() {
    return new Capped(ADAPTIVE.newHandle(), maxRead);
  }

  /**
   * The adaptive handle with every buffer it sizes capped. Extended, as Netty's native transports require; its
   * only extension, the supplier variant of continueReading, goes to the adaptive handle too.
   */
  private static final class Capped extends DelegatingHandle implements ExtendedHandle {
    private final int maxRead;

    Capped(Handle adaptive, int maxRead) {
      super(adaptive);
      this.maxRead = maxRead;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return alloc.ioBuffer(guess());
    }

    @Override
    public int guess() {
      return Math.min(delegate().guess(), maxRead);
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return ((ExtendedHandle) delegate()).continueReading(maybeMoreDataSupplier);
    }
  }
}
