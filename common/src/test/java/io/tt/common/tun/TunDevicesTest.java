package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TunDevicesTest {

  @Test
  void choosesByOsName() throws Exception {
    assertEquals(TunDevices.Kind.LINUX_TUN, TunDevices.kindFor("Linux"));
    assertEquals(TunDevices.Kind.MACOS_UTUN, TunDevices.kindFor("Mac OS X"));
    assertEquals(TunDevices.Kind.MACOS_UTUN, TunDevices.kindFor("Darwin"));
  }

  @Test
  void windowsNeedsWintun() {
    for (String os : new String[] {"Windows 11", "Windows Server 2022", "windows 10"}) {
      UnsupportedTunException e = assertThrows(UnsupportedTunException.class, () -> TunDevices.kindFor(os));
      assertEquals("TUN mode on Windows needs WinTUN, which TT does not support yet", e.getMessage());
    }
  }

  @Test
  void otherSystemsGetAClearError() {
    UnsupportedTunException e = assertThrows(UnsupportedTunException.class, () -> TunDevices.kindFor("FreeBSD"));
    assertTrue(e.getMessage().contains("not supported on FreeBSD"), e.getMessage());
    assertTrue(e.getMessage().contains("Linux and macOS"), e.getMessage());
    e = assertThrows(UnsupportedTunException.class, () -> TunDevices.kindFor(""));
    assertTrue(e.getMessage().contains("this operating system"), e.getMessage());
    assertThrows(UnsupportedTunException.class, () -> TunDevices.kindFor(null));
  }

  @Test
  void optionsValidateNameAndMtu() {
    assertEquals(1500, TunOptions.defaults().mtu());
    new TunOptions("tt%d", 1420);
    new TunOptions("utun7", 1280);
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("tt0", 100));
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("tt0", 70000));
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("", 1500));
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("sixteen-chars-xx", 1500));
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("t t", 1500));
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("a/b", 1500));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TunOptions("tt%s", 1500));
    assertTrue(e.getMessage().contains("%d"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TunOptions("t%d%d", 1500));
  }
}
