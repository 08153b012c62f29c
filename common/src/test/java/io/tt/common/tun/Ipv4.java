package io.tt.common.tun;

import java.nio.ByteBuffer;

/** Builds IPv4/UDP packets for tests. */
public final class Ipv4 {

  private Ipv4() {
  }

  /** An IPv4 packet carrying a UDP datagram with {@code payload}; addresses as "a.b.c.d". */
  public static byte[] udp(String src, String dst, int srcPort, int dstPort, byte[] payload) {
    int total = 28 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 1).putShort((short) 0x4000)
        .put((byte) 64).put((byte) 17).putShort((short) 0).put(addr(src)).put(addr(dst));
    b.putShort(10, (short) checksum(b.array()));
    b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0)
        .put(payload);
    return b.array();
  }

  public static byte[] addr(String a) {
    String[] p = a.split("\\.");
    return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]), (byte) Integer.parseInt(p[2]),
        (byte) Integer.parseInt(p[3])};
  }

  public static int checksum(byte[] header) {
    long sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((header[i] & 0xff) << 8) | (header[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
