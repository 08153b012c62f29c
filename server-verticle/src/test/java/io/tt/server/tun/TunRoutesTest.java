package io.tt.server.tun;

import io.tt.common.tun.Ipv4;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The route table: learned by source, looked up by destination, latest owner wins, forgotten with its client. */
class TunRoutesTest {

  record Peer(String name) implements TunPeer {
    @Override
    public void send(ByteBuf packet) {
      packet.release();
    }

    @Override
    public String describe() {
      return name;
    }
  }

  static int v4(String a) {
    byte[] b = Ipv4.addr(a);
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  static ByteBuf to(String dst) {
    return Unpooled.wrappedBuffer(Ipv4.udp("10.1.0.1", dst, 1, 2, new byte[0]));
  }

  static ByteBuf v6To(long hi, long lo) {
    ByteBuf b = Unpooled.buffer(40);
    b.writeInt(0x60000000).writeShort(0).writeByte(59).writeByte(64).writeLong(1).writeLong(2).writeLong(hi)
        .writeLong(lo);
    return b;
  }

  @Test
  void routesByDestinationToTheLatestOwner() {
    TunRoutes r = new TunRoutes();
    Peer a = new Peer("a");
    Peer b = new Peer("b");
    assertNull(r.lookup(to("10.1.0.2")));
    r.learnV4(v4("10.1.0.2"), a);
    r.learnV4(v4("10.1.0.3"), b);
    assertSame(a, r.lookup(to("10.1.0.2")));
    assertSame(b, r.lookup(to("10.1.0.3")));
    r.learnV4(v4("10.1.0.2"), b); // a reconnected client (new session) takes its address back
    assertSame(b, r.lookup(to("10.1.0.2")));
    r.remove(b);
    assertNull(r.lookup(to("10.1.0.2")));
    assertNull(r.lookup(to("10.1.0.3")));
    assertEquals(0, r.size());
  }

  @Test
  void ipv6AddressesToo() {
    TunRoutes r = new TunRoutes();
    Peer a = new Peer("a");
    r.learnV6(0xfd00L << 48, 2, a);
    assertSame(a, r.lookup(v6To(0xfd00L << 48, 2)));
    assertNull(r.lookup(v6To(0xfd00L << 48, 3)));
    r.remove(a);
    assertNull(r.lookup(v6To(0xfd00L << 48, 2)));
    assertEquals(0, r.size());
  }

  @Test
  void theTableIsBounded() {
    TunRoutes r = new TunRoutes();
    Peer a = new Peer("a");
    for (int i = 0; i < TunRoutes.MAX_ADDRESSES; i++) {
      assertTrue(r.learnV4(0x0a000000 + i, a));
    }
    assertFalse(r.learnV4(0x0b000000, a), "a new address beyond the cap");
    assertFalse(r.learnV6(1, 1, a));
    assertTrue(r.learnV4(0x0a000000, new Peer("b")), "a known address may change owner");
  }
}
