package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class IpPacketTest {

  @Test
  void ipv4() {
    byte[] pkt = Packets.udp4(new byte[] {10, 99, 0, 2}, 5555, new byte[] {10, 99, 0, 1}, 7777, "hi".getBytes());
    ByteBuf b = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(pkt);
    b.skipBytes(3); // reader index is where the packet starts
    assertEquals(4, IpPacket.version(b));
    assertTrue(IpPacket.isWellFormed(b));
    assertEquals(20, IpPacket.headerLength(b));
    assertEquals(30, IpPacket.totalLength(b));
    assertEquals(IpPacket.PROTO_UDP, IpPacket.protocol(b));
    assertEquals(0x0a630002, IpPacket.ipv4Source(b));
    assertEquals(0x0a630001, IpPacket.ipv4Destination(b));
    assertEquals("10.99.0.1", IpPacket.ipv4ToString(IpPacket.ipv4Destination(b)));
    byte[] out = new byte[16];
    assertEquals(4, IpPacket.copyDestination(b, out, 2));
    assertEquals(10, out[2]);
    assertEquals(1, out[5]);
    assertEquals(3, b.readerIndex(), "indices untouched");
    b.release();
  }

  @Test
  void ipv6() throws Exception {
    byte[] src = InetAddress.getByName("fd00:99::2").getAddress();
    byte[] dst = InetAddress.getByName("fd00:99::1:8000:0:1").getAddress();
    ByteBuf b = Unpooled.buffer(48);
    b.writeInt(0x60000000).writeShort(8).writeByte(IpPacket.PROTO_UDP).writeByte(64);
    b.writeBytes(src).writeBytes(dst).writeLong(0x1111222233334444L);
    assertEquals(6, IpPacket.version(b));
    assertTrue(IpPacket.isWellFormed(b));
    assertEquals(48, IpPacket.totalLength(b));
    assertEquals(40, IpPacket.headerLength(b));
    assertEquals(IpPacket.PROTO_UDP, IpPacket.protocol(b));
    assertEquals(0xfd00009900000000L, IpPacket.ipv6SourceHigh(b));
    assertEquals(2L, IpPacket.ipv6SourceLow(b));
    assertEquals(0xfd00009900000000L, IpPacket.ipv6DestinationHigh(b));
    assertEquals(0x0001800000000001L, IpPacket.ipv6DestinationLow(b));
    byte[] out = new byte[16];
    assertEquals(16, IpPacket.copySource(b, out, 0));
    assertArrayEquals(src, out);
    b.release();
  }

  @Test
  void malformed() {
    assertEquals(0, IpPacket.version(Unpooled.EMPTY_BUFFER));
    assertFalse(IpPacket.isWellFormed(Unpooled.EMPTY_BUFFER));
    assertFalse(IpPacket.isWellFormed(Unpooled.wrappedBuffer(new byte[] {0x45, 0, 0, 20})), "short");
    byte[] pkt = Packets.udp4(new byte[] {1, 2, 3, 4}, 1, new byte[] {5, 6, 7, 8}, 2, new byte[4]);
    pkt[3] = (byte) 200; // total length beyond the buffer
    assertFalse(IpPacket.isWellFormed(Unpooled.wrappedBuffer(pkt)));
    pkt[3] = 32;
    pkt[0] = 0x44; // IHL 4 < 5
    assertFalse(IpPacket.isWellFormed(Unpooled.wrappedBuffer(pkt)));
    pkt[0] = 0x55; // version 5
    assertEquals(0, IpPacket.version(Unpooled.wrappedBuffer(pkt)));
    ByteBuf v6 = Unpooled.buffer().writeInt(0x60000000).writeShort(100).writeZero(34);
    assertFalse(IpPacket.isWellFormed(v6), "IPv6 payload length beyond the buffer");
  }
}
