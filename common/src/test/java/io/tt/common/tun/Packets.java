package io.tt.common.tun;

import java.nio.ByteBuffer;

/** Test-side IP packet crafting: UDP/IPv4 builder, checksums, ICMP echo reply. */
final class Packets {
  private Packets() {}

  /** Internet checksum (RFC 1071) of {@code len} bytes of {@code b} from {@code off}. */
  static int checksum(ByteBuffer b, int off, int len) {
    long sum = 0;
    int i = off;
    for (; i + 1 < off + len; i += 2) {
      sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
    }
    if (i < off + len) {
      sum += (b.get(i) & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** An IPv4/UDP packet (UDP checksum 0 = none, which IPv4 allows). */
  static byte[] udp4(byte[] src, int sport, byte[] dst, int dport, byte[] payload) {
    int total = 20 + 8 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0x1234).putShort((short) 0x4000);
    b.put((byte) 64).put((byte) 17).putShort((short) 0).put(src).put(dst);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
    b.put(payload);
    b.putShort(10, (short) checksum(b, 0, 20));
    return b.array();
  }

  /**
   * If {@code p} (position 0, limit = length) is an IPv4 ICMP echo request, turns it in place into
   * the echo reply: addresses swapped, type 0, both checksums recomputed. Returns whether it did.
   */
  static boolean toEchoReply(ByteBuffer p) {
    int len = p.limit();
    if (len < 28 || (p.get(0) & 0xf0) != 0x40 || p.get(9) != 1) {
      return false;
    }
    int ihl = (p.get(0) & 0x0f) * 4;
    if (p.get(ihl) != 8) {
      return false;
    }
    int src = p.getInt(12);
    p.putInt(12, p.getInt(16));
    p.putInt(16, src);
    p.put(8, (byte) 64);
    p.put(ihl, (byte) 0);
    p.putShort(ihl + 2, (short) 0);
    p.putShort(ihl + 2, (short) checksum(p, ihl, len - ihl));
    p.putShort(10, (short) 0);
    p.putShort(10, (short) checksum(p, 0, ihl));
    return true;
  }

  /** The UDP payload if {@code p} is IPv4/UDP to {@code dport}, else null. */
  static byte[] udp4Payload(ByteBuffer p, int dport) {
    if (p.limit() < 28 || (p.get(0) & 0xf0) != 0x40 || p.get(9) != 17) {
      return null;
    }
    int ihl = (p.get(0) & 0x0f) * 4;
    if ((p.getShort(ihl + 2) & 0xffff) != dport) {
      return null;
    }
    int ulen = p.getShort(ihl + 4) & 0xffff;
    byte[] out = new byte[ulen - 8];
    p.get(ihl + 8, out);
    return out;
  }
}
