package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.NetUtil;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.ProtocolException;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The decoders behind an authenticated first frame, on arbitrary bytes: {@link TargetAddress#decode} (SOCKS5
 * address form) and {@link ClientRequest#decode}.
 *
 * <p>Invariants: TargetAddress.decode returns null without consuming when the address is cut short (and only then),
 * throws only IllegalArgumentException and only for an unknown type or an empty name, otherwise consumes exactly
 * the encoded address; encodedLength() equals what encode() writes; a decoded printable address re-encodes to a
 * value that decodes equal. ClientRequest.decode throws only ProtocolException and accepts only commands 1 and 2;
 * for IP targets and names that are not IP literals it consumes exactly encodedLength() bytes, which encode()
 * reproduces byte for byte (a name spelling an IP literal re-encodes, shorter, as that address).
 */
class WireDecodeFuzzTest {

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void targetAndRequest(byte[] data) {
    targetAddress(data);
    clientRequest(data);
  }

  static void targetAddress(byte[] data) {
    int expectLen = -1; // -1 malformed, 0 truncated, n > 0: whole address of n bytes
    if (data.length == 0) {
      expectLen = 0;
    } else {
      switch (data[0] & 0xff) {
        case 1 -> expectLen = data.length >= 7 ? 7 : 0;
        case 4 -> expectLen = data.length >= 19 ? 19 : 0;
        case 3 -> {
          if (data.length < 2) {
            expectLen = 0;
          } else if (data[1] != 0) {
            int n = 4 + (data[1] & 0xff);
            expectLen = data.length >= n ? n : 0;
          }
        }
        default -> expectLen = -1;
      }
    }
    ByteBuf in = Unpooled.wrappedBuffer(data);
    TargetAddress t;
    try {
      t = TargetAddress.decode(in);
    } catch (IllegalArgumentException e) {
      assertEquals(-1, expectLen, "IllegalArgumentException for a well-formed address");
      assertEquals(0, in.readerIndex(), "a refused address consumed bytes");
      return;
    }
    if (expectLen <= 0) {
      assertEquals(0, expectLen, "malformed address accepted");
      assertNull(t);
      assertEquals(0, in.readerIndex(), "a cut address consumed bytes");
      return;
    }
    assertNotNull(t, "a whole address reported as cut");
    assertEquals(expectLen, in.readerIndex(), "consumed bytes");
    int port = ((data[expectLen - 2] & 0xff) << 8) | (data[expectLen - 1] & 0xff);
    assertEquals(port, t.port());
    ByteBuf re = Unpooled.buffer();
    if (isAscii(t.host())) {
      t.encode(re);
      assertEquals(t.encodedLength(), re.readableBytes(), "encodedLength() vs encode()");
      TargetAddress back = TargetAddress.decode(re);
      assertNotNull(back);
      assertEquals(t.port(), back.port());
      byte[] ip = NetUtil.createByteArrayFromIpAddressString(t.host());
      if (ip == null) {
        assertEquals(t.host(), back.host());
        assertArrayEquals(Arrays.copyOf(data, expectLen), Fuzz.bytesOf(re.readerIndex(0)), "name re-encoding");
      } else {
        assertArrayEquals(ip, NetUtil.createByteArrayFromIpAddressString(back.host()), "IP re-encoding");
      }
    }
  }

  static void clientRequest(byte[] data) {
    ByteBuf in = Unpooled.wrappedBuffer(data);
    ClientRequest r;
    try {
      r = ClientRequest.decode(in);
    } catch (ProtocolException e) {
      return;
    } catch (RuntimeException e) {
      fail("ClientRequest.decode threw " + e.getClass().getName() + " instead of ProtocolException");
      return;
    }
    assertTrue(data[0] >= 1 && data[0] <= 3, "unknown command accepted");
    // A name that is an IP literal ("1.2.3.4" sent as ATYP 3) re-encodes as an address: shorter, and fine.
    boolean plainName = r.target() == null || (isAscii(r.target().host())
        && (data[9] != 3 || NetUtil.createByteArrayFromIpAddressString(r.target().host()) == null));
    if (plainName) {
      assertEquals(r.encodedLength(), in.readerIndex(), "consumed bytes vs encodedLength()");
      ByteBuf re = Unpooled.buffer();
      r.encode(re);
      assertArrayEquals(Arrays.copyOf(data, in.readerIndex()), Fuzz.bytesOf(re), "request re-encoding");
    }
  }

  private static boolean isAscii(String s) {
    return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
  }
}
