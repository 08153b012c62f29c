package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.tt.common.proxy.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TargetAddressTest {

  private static byte[] encode(TargetAddress a) {
    ByteBuf out = Unpooled.buffer();
    a.encode(out);
    assertEquals(a.encodedLength(), out.readableBytes());
    return Bytes.of(out);
  }

  @Test
  void ipv4IsAtyp1() {
    assertArrayEquals(hex("01 7f000001 0050"), encode(new TargetAddress("127.0.0.1", 80)));
  }

  @Test
  void ipv6IsAtyp4() {
    assertArrayEquals(hex("04 00000000000000000000000000000001 01bb"), encode(new TargetAddress("::1", 443)));
  }

  @Test
  void nameIsAtyp3WithLength() {
    assertArrayEquals(hex("03 03 616263 ffff"), encode(new TargetAddress("abc", 65535)));
  }

  @Test
  void decodeRoundTripsAndWaitsForWholeAddress() {
    byte[] wire = hex("03 0b 6578616d706c652e636f6d 1f90");
    for (int n = 0; n < wire.length; n++) {
      ByteBuf prefix = Unpooled.wrappedBuffer(wire, 0, n);
      assertNull(TargetAddress.decode(prefix));
      assertEquals(0, prefix.readerIndex());
    }
    ByteBuf in = Unpooled.wrappedBuffer(wire);
    assertEquals(new TargetAddress("example.com", 8080), TargetAddress.decode(in));
    assertEquals(wire.length, in.readerIndex());
  }

  @Test
  void decodeRejectsBadTypeAndEmptyName() {
    assertThrows(IllegalArgumentException.class, () -> TargetAddress.decode(Unpooled.wrappedBuffer(hex("02 00"))));
    assertThrows(IllegalArgumentException.class, () -> TargetAddress.decode(Unpooled.wrappedBuffer(hex("03 00 0050"))));
  }

  @Test
  void nameLongerThan255IsRefusedOnEncode() {
    assertThrows(IllegalArgumentException.class, () -> encode(new TargetAddress("a".repeat(256), 1)));
  }

  @Test
  void toStringBracketsIpv6() {
    assertEquals("[::1]:443", new TargetAddress("::1", 443).toString());
    assertEquals("example.com:80", new TargetAddress("example.com", 80).toString());
  }
}
