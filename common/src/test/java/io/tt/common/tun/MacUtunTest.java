package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parts of the macOS utun code that can be checked without a Mac. */
@Timeout(10)
class MacUtunTest {

  @Test
  void constantsMatchDarwinHeaders() {
    // <sys/kern_control.h>: #define CTLIOCGINFO _IOWR('N', 3, struct ctl_info)
    assertEquals(0xc0644e03L, MacUtun.CTLIOCGINFO);
    assertEquals(100, MacUtun.CTL_INFO_SIZE);
    assertEquals(32, MacUtun.SOCKADDR_CTL_SIZE);
    assertEquals(32, MacUtun.PF_SYSTEM);
    assertEquals(2, MacUtun.SYSPROTO_CONTROL);
    assertEquals(2, MacUtun.UTUN_OPT_IFNAME);
    assertEquals(2, MacUtun.AF_INET);
    assertEquals(30, MacUtun.AF_INET6);
    assertEquals("com.apple.net.utun_control", MacUtun.UTUN_CONTROL_NAME);
  }

  @Test
  void ctlInfoLayout() {
    byte[] b = MacUtun.ctlInfo(MacUtun.UTUN_CONTROL_NAME);
    assertEquals(100, b.length);
    assertEquals(0, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(0), "ctl_id is filled in by the kernel");
    byte[] name = MacUtun.UTUN_CONTROL_NAME.getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(name, Arrays.copyOfRange(b, 4, 4 + name.length));
    for (int i = 4 + name.length; i < 100; i++) {
      assertEquals(0, b[i], "NUL padding at " + i);
    }
  }

  @Test
  void sockaddrCtlLayout() {
    ByteBuffer b = ByteBuffer.wrap(MacUtun.sockaddrCtl(0x1234abcd, 8)).order(ByteOrder.nativeOrder());
    assertEquals(32, b.capacity());
    assertEquals(32, b.get(0), "sc_len");
    assertEquals(32, b.get(1), "sc_family = AF_SYSTEM");
    assertEquals(2, b.getShort(2), "ss_sysaddr = AF_SYS_CONTROL");
    assertEquals(0x1234abcd, b.getInt(4), "sc_id");
    assertEquals(8, b.getInt(8), "sc_unit (utun7 -> 8)");
    for (int i = 12; i < 32; i++) {
      assertEquals(0, b.get(i), "sc_reserved");
    }
  }

  @Test
  void unitNumbers() throws Exception {
    assertEquals(0, MacUtun.unitFor(null));
    assertEquals(0, MacUtun.unitFor("utun"));
    assertEquals(1, MacUtun.unitFor("utun0"));
    assertEquals(8, MacUtun.unitFor("utun7"));
    assertEquals(13, MacUtun.unitFor("utun12"));
    for (String bad : new String[] {"tt%d", "tun0", "utun01", "utunx", "utun-1", "utun1234567"}) {
      TunException e = assertThrows(TunException.class, () -> MacUtun.unitFor(bad), bad);
      assertTrue(e.getMessage().contains("utunN"), e.getMessage());
    }
  }

  @Test
  void headerIsBigEndianFamily() {
    assertArrayEquals(new byte[] {0, 0, 0, 2}, MacUtun.header(MacUtun.AF_INET));
    assertArrayEquals(new byte[] {0, 0, 0, 30}, MacUtun.header(MacUtun.AF_INET6));
    assertEquals(30, MacUtun.familyOf(MacUtun.header(30)));
    assertEquals(MacUtun.AF_INET, MacUtun.familyFor((byte) 0x45));
    assertEquals(MacUtun.AF_INET6, MacUtun.familyFor((byte) 0x60));
  }

  @Test
  void writePrependsAndReadStrips() throws Exception {
    byte[] v4 = {0x45, 0, 0, 20, 1, 2, 3, 4, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
    ByteBuffer framed = MacUtun.framed(ByteBuffer.wrap(v4));
    assertEquals(24, framed.remaining());
    assertArrayEquals(new byte[] {0, 0, 0, 2}, Arrays.copyOfRange(framed.array(), 0, 4));
    ByteBuffer back = MacUtun.unframed(framed);
    byte[] out = new byte[back.remaining()];
    back.get(out);
    assertArrayEquals(v4, out);

    byte[] v6 = new byte[40];
    v6[0] = 0x60;
    ByteBuffer framed6 = MacUtun.framed(ByteBuffer.wrap(v6));
    assertArrayEquals(new byte[] {0, 0, 0, 30}, Arrays.copyOfRange(framed6.array(), 0, 4));
    assertEquals(40, MacUtun.unframed(framed6).remaining());

    TunException e = assertThrows(TunException.class, () -> MacUtun.unframed(ByteBuffer.wrap(new byte[3])));
    assertTrue(e.getMessage().contains("4-byte header"), e.getMessage());
  }
}
