package io.tt.client.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tt.common.tun.IpCidr;

/**
 * The packet a client sends through a new tunnel before anything else, so the server learns the client's TUN
 * address (it learns addresses from the source of authenticated packets) and can reach the client before the
 * client has sent traffic of its own: an empty UDP datagram from the client's TUN address to the broadcast
 * address of its subnet, port 9 (discard). The server's kernel takes it as a broadcast nobody listens to and
 * drops it without an answer (no ICMP error is sent for broadcasts) and does not forward it.
 * No packet for a /31 or /32 address, which have no broadcast address.
 */
final class TunAnnounce {

  static final int DISCARD_PORT = 9;
  private static final int LENGTH = 20 + 8;

  private final int source;
  private final int broadcast;

  TunAnnounce(IpCidr cidr) {
    byte[] a = cidr.address().getAddress();
    this.source = ((a[0] & 0xff) << 24) | ((a[1] & 0xff) << 16) | ((a[2] & 0xff) << 8) | (a[3] & 0xff);
    int hostMask = cidr.prefixLength() >= 31 ? 0 : (int) (0xffffffffL >>> cidr.prefixLength());
    this.broadcast = hostMask == 0 ? 0 : source | hostMask;
  }

  boolean exists() {
    return broadcast != 0;
  }

  /** A new buffer holding the packet; the caller owns it. Only when {@link #exists()}. */
  ByteBuf packet(ByteBufAllocator alloc) {
    ByteBuf p = alloc.directBuffer(LENGTH);
    int start = p.writerIndex();
    p.writeByte(0x45).writeByte(0).writeShort(LENGTH);          // version, IHL; DSCP; total length
    p.writeShort(0).writeShort(0x4000);                         // id; don't fragment
    p.writeByte(64).writeByte(17).writeShort(0);                // TTL; UDP; checksum (below)
    p.writeInt(source).writeInt(broadcast);
    p.setShort(start + 10, checksum(p, start, 20));
    p.writeShort(DISCARD_PORT).writeShort(DISCARD_PORT);        // ports
    p.writeShort(8).writeShort(0);                              // length; no UDP checksum (IPv4 allows it)
    return p;
  }

  static int checksum(ByteBuf b, int from, int length) {
    long sum = 0;
    for (int i = 0; i < length; i += 2) {
      sum += b.getUnsignedShort(from + i);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
