package io.tt.common.tun;

import io.netty.buffer.ByteBuf;

/**
 * Reads the routing-relevant fields of an IP packet held in a {@link ByteBuf}, starting at its
 * reader index, without moving any index and without allocating. IPv4 addresses come back as an
 * {@code int} (big-endian, so 10.1.0.2 is 0x0a010002), IPv6 addresses as two {@code long}s (high
 * and low 64 bits): both are cheap map keys for routing.
 *
 * <p>Callers check {@link #isWellFormed(ByteBuf)} first; the accessors assume it held.
 */
public final class IpPacket {
  private IpPacket() {}

  public static final int IPV4_MIN_HEADER = 20;
  public static final int IPV6_HEADER = 40;
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_TCP = 6;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_ICMPV6 = 58;

  /** 4, 6, or 0 when the buffer is empty or the version nibble is something else. */
  public static int version(ByteBuf p) {
    if (!p.isReadable()) {
      return 0;
    }
    int v = (p.getByte(p.readerIndex()) & 0xf0) >>> 4;
    return v == 4 || v == 6 ? v : 0;
  }

  /**
   * Whether the header is complete and consistent with the buffer: IPv4 needs IHL &ge; 5, the
   * header inside the buffer and total length within it; IPv6 needs the fixed header and the payload
   * length within the buffer.
   */
  public static boolean isWellFormed(ByteBuf p) {
    int r = p.readerIndex();
    int len = p.readableBytes();
    switch (version(p)) {
      case 4: {
        if (len < IPV4_MIN_HEADER) {
          return false;
        }
        int ihl = (p.getByte(r) & 0x0f) * 4;
        int total = p.getUnsignedShort(r + 2);
        return ihl >= IPV4_MIN_HEADER && ihl <= total && total <= len;
      }
      case 6:
        return len >= IPV6_HEADER && IPV6_HEADER + p.getUnsignedShort(r + 4) <= len;
      default:
        return false;
    }
  }

  /** IPv4 header length in bytes (IHL * 4); 40 for IPv6 (extension headers not walked). */
  public static int headerLength(ByteBuf p) {
    return version(p) == 4 ? (p.getByte(p.readerIndex()) & 0x0f) * 4 : IPV6_HEADER;
  }

  /** Total packet length claimed by the header (IPv4 total length; IPv6 40 + payload length). */
  public static int totalLength(ByteBuf p) {
    int r = p.readerIndex();
    return version(p) == 4 ? p.getUnsignedShort(r + 2) : IPV6_HEADER + p.getUnsignedShort(r + 4);
  }

  /** IPv4 protocol or IPv6 next header (the first one: extension headers are not walked). */
  public static int protocol(ByteBuf p) {
    int r = p.readerIndex();
    return p.getUnsignedByte(r + (version(p) == 4 ? 9 : 6));
  }

  public static int ipv4Source(ByteBuf p) {
    return p.getInt(p.readerIndex() + 12);
  }

  public static int ipv4Destination(ByteBuf p) {
    return p.getInt(p.readerIndex() + 16);
  }

  public static long ipv6SourceHigh(ByteBuf p) {
    return p.getLong(p.readerIndex() + 8);
  }

  public static long ipv6SourceLow(ByteBuf p) {
    return p.getLong(p.readerIndex() + 16);
  }

  public static long ipv6DestinationHigh(ByteBuf p) {
    return p.getLong(p.readerIndex() + 24);
  }

  public static long ipv6DestinationLow(ByteBuf p) {
    return p.getLong(p.readerIndex() + 32);
  }

  /** Copies the source address (4 or 16 bytes) into {@code out} at {@code offset}; returns its length. */
  public static int copySource(ByteBuf p, byte[] out, int offset) {
    int n = version(p) == 4 ? 4 : 16;
    p.getBytes(p.readerIndex() + (n == 4 ? 12 : 8), out, offset, n);
    return n;
  }

  /** Copies the destination address (4 or 16 bytes) into {@code out} at {@code offset}; returns its length. */
  public static int copyDestination(ByteBuf p, byte[] out, int offset) {
    int n = version(p) == 4 ? 4 : 16;
    p.getBytes(p.readerIndex() + (n == 4 ? 16 : 24), out, offset, n);
    return n;
  }

  /** "10.1.0.2" from the int form. Allocates: for logs, not the packet path. */
  public static String ipv4ToString(int a) {
    return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
  }
}
