package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.AeadMethod;

/**
 * Builds the datagrams of one direction of one session: header, then the sealed body with the next packet
 * number as nonce and the server port as associated data.
 *
 * <p>The body's padding sits between its head and the payload, but {@link io.tt.common.crypto.Aead} seals one
 * contiguous plaintext, so the plaintext is assembled in a scratch buffer that is reused (one copy of the payload,
 * no allocation). Not thread-safe: one per session direction, used on its event loop.
 */
public final class UdpSealer {

  private final UdpHeaderCipher header;
  private final long sessionId;
  private final UdpPortAeads aeads;
  private final ByteBuf plain = Unpooled.directBuffer(2048);
  private long packetNumber;

  /**
   * @param header the sender's header cipher (shared by the sessions of one thread)
   * @param key this direction's 32-byte key ({@link UdpKeys#key})
   */
  public UdpSealer(UdpHeaderCipher header, long sessionId, AeadMethod method, byte[] key) {
    this(header, sessionId, method, key, 0);
  }

  /**
   * @param firstPacketNumber 0 for the client; {@link UdpDatagram#serverFirstPacketNumber} for the server
   */
  public UdpSealer(UdpHeaderCipher header, long sessionId, AeadMethod method, byte[] key, long firstPacketNumber) {
    if (firstPacketNumber < 0) {
      throw new IllegalArgumentException("packet numbers are below 2^63");
    }
    this.header = header;
    this.sessionId = sessionId;
    this.aeads = new UdpPortAeads(method, key);
    this.packetNumber = firstPacketNumber;
  }

  /**
   * Appends one datagram to {@code out} ({@link UdpDatagram#length} bytes; {@code out} grows if it must).
   *
   * @param payload the IP packet (its readable bytes, not consumed), or null for a keep-alive
   * @param serverPort the server's UDP port this datagram goes to or comes from
   * @return the packet number used
   */
  public long seal(int type, long timestampSeconds, ByteBuf payload, int padding, int serverPort, ByteBuf out) {
    long n = packetNumber++;
    sealWith(n, type, timestampSeconds, payload, padding, serverPort, out);
    return n;
  }

  /** {@link #seal} with an explicit packet number: vectors and tests. */
  void sealWith(long n, int type, long timestampSeconds, ByteBuf payload, int padding, int serverPort, ByteBuf out) {
    if (padding < 0 || padding > UdpDatagram.MAX_PADDING) {
      throw new IllegalArgumentException("padding out of range: " + padding);
    }
    int len = payload == null ? 0 : payload.readableBytes();
    plain.clear();
    plain.writeByte(type);
    plain.writeLong(timestampSeconds);
    plain.writeShort(padding);
    plain.writeZero(padding);
    if (payload != null) {
      plain.writeBytes(payload, payload.readerIndex(), len);
    }
    out.ensureWritable(UdpDatagram.length(len, padding));
    header.encrypt(sessionId, n, out);
    aeads.forPort(serverPort).seal(n, plain, 0, plain.readableBytes(), out);
  }

  /** The packet number the next datagram gets. */
  public long nextPacketNumber() {
    return packetNumber;
  }

  public long sessionId() {
    return sessionId;
  }

  /** Frees the scratch buffer; the sealer is not used afterwards. */
  public void release() {
    plain.release();
  }
}
