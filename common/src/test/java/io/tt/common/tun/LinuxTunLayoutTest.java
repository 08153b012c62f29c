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

/** struct ifreq and the error wording, without opening anything. */
@Timeout(10)
class LinuxTunLayoutTest {

  @Test
  void ifreqLayout() {
    byte[] b = LinuxTun.ifreq("tt%d", (short) (LinuxTun.IFF_TUN | LinuxTun.IFF_NO_PI));
    assertEquals(40, b.length);
    assertArrayEquals("tt%d".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(b, 4));
    assertEquals(0, b[4]);
    assertEquals(0x1001, ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getShort(16));
    assertEquals(0x400454caL, LinuxTun.TUNSETIFF);
    assertThrows(IllegalArgumentException.class, () -> LinuxTun.ifreq("sixteen-chars-xx", (short) 1));
  }

  @Test
  void errorsSayWhatToDo() {
    assertTrue(LinuxTun.explainOpenError(Posix.ENOENT).contains("modprobe tun"));
    assertTrue(LinuxTun.explainOpenError(Posix.EACCES).contains("needs root or CAP_NET_ADMIN"));
    assertTrue(LinuxTun.explainOpenError(Posix.EPERM).contains("needs root or CAP_NET_ADMIN"));
    String busy = LinuxTun.explainSetIffError(Posix.EBUSY, "tt0");
    assertTrue(busy.contains("tt0") && busy.contains("already open in another process"), busy);
    String perm = LinuxTun.explainSetIffError(Posix.EPERM, "tt0");
    assertTrue(perm.contains("needs root or CAP_NET_ADMIN"), perm);
    assertTrue(perm.contains("errno 1"), perm);
    assertTrue(LinuxTun.explainSetIffError(Posix.EINVAL, "eth0").contains("not a TUN device"));
  }
}
