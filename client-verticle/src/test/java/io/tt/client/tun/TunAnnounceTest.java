package io.tt.client.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.common.tun.IpCidr;
import io.tt.common.tun.IpPacket;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packet that tells the server a client's TUN address. */
class TunAnnounceTest {

  @Test
  void emptyUdpToTheSubnetBroadcastFromTheTunAddress() {
    TunAnnounce a = new TunAnnounce(IpCidr.parse("10.7.3.9/16"));
    assertTrue(a.exists());
    ByteBuf p = a.packet(UnpooledByteBufAllocator.DEFAULT);
    assertTrue(IpPacket.isWellFormed(p));
    assertEquals(28, p.readableBytes());
    assertEquals("10.7.3.9", IpPacket.ipv4ToString(IpPacket.ipv4Source(p)));
    assertEquals("10.7.255.255", IpPacket.ipv4ToString(IpPacket.ipv4Destination(p)));
    assertEquals(IpPacket.PROTO_UDP, IpPacket.protocol(p));
    assertEquals(TunAnnounce.DISCARD_PORT, p.getUnsignedShort(22));
    assertEquals(0, TunAnnounce.checksum(p, 0, 20), "a valid header checksum sums to zero: "
        + ByteBufUtil.hexDump(p));
    p.release();
  }

  @Test
  void noneWithoutABroadcastAddress() {
    assertFalse(new TunAnnounce(IpCidr.parse("10.7.3.9/32")).exists());
    assertFalse(new TunAnnounce(IpCidr.parse("10.7.3.9/31")).exists());
    assertTrue(new TunAnnounce(IpCidr.parse("10.7.3.9/30")).exists());
  }
}
