package io.tt.common.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;

/**
 * Reads of a plain socket (the application's in the client, the target's in the server) small enough that what
 * one read becomes, its frames sealed, still fits one TCP segment on loopback. Netty reads up to 64 KiB; sealed as
 * four 16 KiB frames that is 65,696 bytes, more than loopback's MSS (65,483 with its 65,536 MTU), so every read
 * left as a full segment and a 213-byte one, and the receiver paid a second delivery, wake-up and ACK for each
 * (bench/README.md, change 22). Below the limit the sizes are Netty's adaptive guesses, so a connection that
 * carries little still reads into small buffers. Over a real link the limit changes nothing: its segments are
 * smaller than either size.
 */
public final class SegmentSizedReads implements RecvByteBufAllocator {

  /**
   * Sealed bytes one read may become: loopback's MSS less room for IPv6's longer header and TCP options. Frames
   * padded in full (up to 255 bytes each) may still overflow it, as before.
   */
  public static final int LOOPBACK_SEGMENT = 65_400;

  /** The last instance made: every connection of a process normally asks for the same limit. */
  private static volatile SegmentSizedReads shared;

  private final int maxRead;
  /** Netty's defaults (64 B to 64 KiB, starting at 2 KiB), whose guesses are capped. */
  private final AdaptiveRecvByteBufAllocator adaptive = new AdaptiveRecvByteBufAllocator();

  private SegmentSizedReads(int maxRead) {
    this.maxRead = maxRead;
  }

  /** Caps the reads of {@code channel} at {@code maxRead} bytes from now on. */
  public static void apply(Channel channel, int maxRead) {
    SegmentSizedReads s = shared;
    if (s == null || s.maxRead != maxRead) {
      shared = s = new SegmentSizedReads(maxRead);
    }
    channel.config().setRecvByteBufAllocator(s);
  }

  /** The cap (tests). */
  int maxRead() {
    return maxRead;
  }

  @Override
  public Handle newHandle() {
    return new Capped((ExtendedHandle) adaptive.newHandle(), maxRead);
  }

  /** The adaptive handle with every buffer it sizes capped. */
  private static final class Capped implements ExtendedHandle {
    private final ExtendedHandle delegate;
    private final int maxRead;

    Capped(ExtendedHandle delegate, int maxRead) {
      this.delegate = delegate;
      this.maxRead = maxRead;
    }

    @Override
    public ByteBuf allocate(ByteBufAllocator alloc) {
      return alloc.ioBuffer(guess());
    }

    @Override
    public int guess() {
      return Math.min(delegate.guess(), maxRead);
    }

    @Override
    public void reset(ChannelConfig config) {
      delegate.reset(config);
    }

    @Override
    public void incMessagesRead(int numMessages) {
      delegate.incMessagesRead(numMessages);
    }

    @Override
    public void lastBytesRead(int bytes) {
      delegate.lastBytesRead(bytes);
    }

    @Override
    public int lastBytesRead() {
      return delegate.lastBytesRead();
    }

    @Override
    public void attemptedBytesRead(int bytes) {
      delegate.attemptedBytesRead(bytes);
    }

    @Override
    public int attemptedBytesRead() {
      return delegate.attemptedBytesRead();
    }

    @Override
    public boolean continueReading() {
      return delegate.continueReading();
    }

    @Override
    public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
      return delegate.continueReading(maybeMoreDataSupplier);
    }

    @Override
    public void readComplete() {
      delegate.readComplete();
    }
  }
}
