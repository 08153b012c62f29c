package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;

/**
 * Opens the datagrams of one direction of one session, in the order PROTOCOL.md section 8 gives: packet number
 * against the sliding window, body against the key (associated data: the server port), timestamp against the
 * clock; only then is the number marked. Every failure is a {@link Result} for the caller to count and drop.
 * Not thread-safe: one per session direction, used on its event loop.
 */
public final class UdpOpener {

  /** What became of a datagram. */
  public enum Result {
    /** An IP packet: the output's readable bytes are the packet. */
    PACKET,
    /** A keep-alive (or cover datagram): nothing to deliver, but the session is alive. */
    KEEPALIVE,
    /** The packet number was used already or is too far behind the window. */
    REPLAYED,
    /** The body did not open: wrong key, wrong port, tampered, or truncated. */
    BAD_AUTH,
    /** The sender's clock is outside the timestamp window. */
    STALE,
    /** It opened, but its fields are inconsistent (unknown type, padding longer than the body, empty packet). */
    MALFORMED
  }

  private final UdpPortAeads aeads;
  private final ReplayWindow window = new ReplayWindow();
  private final long windowSeconds;

  /**
   * @param key this direction's 32-byte key ({@link UdpKeys#key})
   * @param timestampWindowSeconds the largest accepted difference between the sender's clock and ours
   */
  public UdpOpener(AeadMethod method, byte[] key, long timestampWindowSeconds) {
    this.aeads = new UdpPortAeads(method, key);
    this.windowSeconds = timestampWindowSeconds;
  }

  /** Adopts the AEAD a server made for {@code port} while it tried its keys on the session's first datagram. */
  public UdpOpener(AeadMethod method, byte[] key, long timestampWindowSeconds, int port, Aead firstAead) {
    this.aeads = new UdpPortAeads(method, key, port, firstAead);
    this.windowSeconds = timestampWindowSeconds;
  }

  /**
   * Opens the datagram whose header decrypted to {@code packetNumber}.
   *
   * @param datagram the datagram's readable bytes (header included; not consumed)
   * @param out receives the plaintext; on {@link Result#PACKET} its reader index is moved to the IP packet
   */
  public Result open(long packetNumber, ByteBuf datagram, int serverPort, long nowMillis, ByteBuf out) {
    if (!window.check(packetNumber)) {
      return Result.REPLAYED;
    }
    return finish(packetNumber, aeads.forPort(serverPort), datagram, nowMillis, out);
  }

  /**
   * Tries to open with a candidate AEAD (the server's first datagram of an unknown session) without a window or
   * a session: true if the body authenticates. The plaintext is left in {@code out}; call {@link #accept} next.
   */
  public static boolean tryOpen(Aead aead, long packetNumber, ByteBuf datagram, ByteBuf out) {
    int body = datagram.readableBytes() - UdpDatagram.HEADER_LENGTH;
    return body >= Aead.TAG
        && aead.open(packetNumber, datagram, datagram.readerIndex() + UdpDatagram.HEADER_LENGTH, body, out);
  }

  /** Checks the fields of a body {@link #tryOpen} opened into {@code out}, marks the number, and says what it was. */
  public Result accept(long packetNumber, long nowMillis, ByteBuf out) {
    if (!window.check(packetNumber)) {
      return Result.REPLAYED;
    }
    return fields(packetNumber, nowMillis, out);
  }

  private Result finish(long packetNumber, Aead aead, ByteBuf datagram, long nowMillis, ByteBuf out) {
    int start = out.writerIndex();
    Result r = tryOpen(aead, packetNumber, datagram, out) ? fields(packetNumber, nowMillis, out) : Result.BAD_AUTH;
    if (r != Result.PACKET && r != Result.KEEPALIVE) {
      out.writerIndex(start);
      if (datagram.readableBytes() >= UdpDatagram.HEADER_LENGTH + Aead.TAG) { // the cipher was initialised
        unjam(aead, packetNumber);
      }
    }
    return r;
  }

  /**
   * The JDK's ChaCha20-Poly1305 refuses to be initialised twice in a row with the same key and nonce, even to
   * decrypt. A number that was tried but not marked may legitimately come again (a forged or stale copy first, the
   * real datagram next), so after such a try the cipher is moved to a nonce no datagram uses (top bit set).
   */
  private static void unjam(Aead aead, long packetNumber) {
    SCRATCH.clear();
    aead.open(packetNumber | Long.MIN_VALUE, UNJAM_INPUT, 0, Aead.TAG, SCRATCH);
  }

  private static final ByteBuf UNJAM_INPUT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[Aead.TAG]));
  /** Receives nothing (a 16-byte input has no plaintext and never authenticates); shared, so allocation-free. */
  private static final ByteBuf SCRATCH = Unpooled.unreleasableBuffer(Unpooled.buffer(0, 0));

  private Result fields(long packetNumber, long nowMillis, ByteBuf out) {
    int r = out.readerIndex();
    int plainLength = out.readableBytes();
    if (plainLength < UdpDatagram.BODY_HEAD_LENGTH) {
      return Result.MALFORMED;
    }
    int type = out.getUnsignedByte(r);
    long timestamp = out.getLong(r + 1);
    int padding = out.getUnsignedShort(r + 9);
    int payload = plainLength - UdpDatagram.BODY_HEAD_LENGTH - padding;
    if (payload < 0) {
      return Result.MALFORMED;
    }
    long skew = nowMillis / 1000 - timestamp;
    if (timestamp < 0 || skew > windowSeconds || skew < -windowSeconds) {
      return Result.STALE;
    }
    Result result;
    if (type == UdpDatagram.TYPE_PACKET && payload > 0) {
      result = Result.PACKET;
    } else if (type == UdpDatagram.TYPE_KEEPALIVE) {
      result = Result.KEEPALIVE;
    } else {
      return Result.MALFORMED;
    }
    window.mark(packetNumber);
    out.readerIndex(r + UdpDatagram.BODY_HEAD_LENGTH + padding);
    return result;
  }

  /** The highest packet number accepted so far, or -1. */
  public long highestAccepted() {
    return window.highest();
  }
}
