package io.tt.common.tun;

import java.util.List;

/** What TUN mode does on both sides at start: open a device, give it its address and MTU. */
public final class TunSetup {

  private TunSetup() {
  }

  /** Opens and configures a device (blocking: call it on a worker thread). Errors start with "TUN mode:". */
  public static TunDevice open(IpCidr address, int mtu) throws TunException {
    TunDevice dev;
    try {
      dev = TunDevices.open(new TunOptions(null, mtu));
    } catch (TunException e) {
      String why = String.valueOf(e.getMessage());
      throw why.startsWith("TUN mode") ? e : new TunException("TUN mode: " + why, e);
    }
    try {
      TunAddressing addressing = TunAddressing.forThisOs();
      addressing.configure(dev.name(), address, null, mtu);
      if (TunDevices.kindFor(System.getProperty("os.name", "")) == TunDevices.Kind.LINUX_TUN) {
        // tun's default queue (500) overflows while a busy JVM's reader thread waits for a CPU; 1000 as Ethernet.
        addressing.run(List.of("ip", "link", "set", "dev", dev.name(), "txqueuelen", "1000"));
      }
      return dev;
    } catch (TunException | RuntimeException e) {
      dev.close();
      throw new TunException("TUN mode: cannot configure " + dev.name() + ": " + e.getMessage(), e);
    }
  }
}
