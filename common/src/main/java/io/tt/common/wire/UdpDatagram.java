package io.tt.common.wire;

import io.tt.common.crypto.Aead;

/**
 * Sizes and field values of a TUN-mode datagram (PROTOCOL.md section 8):
 * {@code AES(K_hdr, session_id || packet_number) || Seal(type || timestamp || padding_length || zeros || payload)}.
 */
public final class UdpDatagram {

  /** The obfuscated header: one AES block. */
  public static final int HEADER_LENGTH = 16;
  /** type(1) + timestamp(8) + padding_length(2), sealed in front of the padding and payload. */
  public static final int BODY_HEAD_LENGTH = 11;
  /** Every byte a datagram adds to its payload besides padding: 16 + 11 + 16 = 43. */
  public static final int OVERHEAD = HEADER_LENGTH + BODY_HEAD_LENGTH + Aead.TAG;
  /** The smallest datagram that can be valid: a keep-alive without padding. */
  public static final int MIN_LENGTH = OVERHEAD;
  /** The default cap: a 1500-byte path minus the IPv4 and UDP headers. */
  public static final int DEFAULT_MAX_LENGTH = 1472;
  /** padding_length is two bytes. */
  public static final int MAX_PADDING = 0xFFFF;

  /** An IP packet follows the padding. */
  public static final int TYPE_PACKET = 0x01;
  /** Keep-alive or cover traffic: no payload; the receiver discards it (after it refreshed the session). */
  public static final int TYPE_KEEPALIVE = 0x02;

  private UdpDatagram() {
  }

  /**
   * The first server-to-client packet number of a session the server creates at {@code nowMillis} (PROTOCOL.md
   * section 8): above any number an earlier server instance used for the same session, so a restarted server
   * that takes over a running client's session never repeats a nonce under its key.
   */
  public static long serverFirstPacketNumber(long nowMillis) {
    return Math.max(0, nowMillis) << 20;
  }

  /** The datagram length for a payload and padding. */
  public static int length(int payloadLength, int padding) {
    return OVERHEAD + padding + payloadLength;
  }

  /**
   * The largest datagram a side sends for a TUN MTU: the default cap, unless the MTU (chosen by the user) needs
   * more, in which case a full-size packet still goes out (without padding) rather than being dropped.
   */
  public static int maxLengthFor(int tunMtu) {
    return Math.max(DEFAULT_MAX_LENGTH, OVERHEAD + tunMtu);
  }
}
