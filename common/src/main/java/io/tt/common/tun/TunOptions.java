package io.tt.common.tun;

import java.util.Objects;

/**
 * What to ask of the OS when opening a TUN device.
 *
 * @param name on Linux an interface name or a kernel pattern with one {@code %d} ("tt%d", the
 *     default: the kernel picks the first free number); at most 15 bytes. On macOS either
 *     {@code null}/"utun" (the kernel picks the first free utunN) or "utunN" for a fixed unit.
 * @param mtu the MTU the device is meant to have (576..65535). Opening a device does not set
 *     it; {@link TunAddressing} applies it, and readers size their buffers from it.
 */
public record TunOptions(String name, int mtu) {
  public static final String DEFAULT_LINUX_NAME = "tt%d";
  public static final int DEFAULT_MTU = 1500;
  /** Linux IFNAMSIZ is 16 including the terminating NUL; macOS is the same. */
  public static final int MAX_NAME_BYTES = 15;

  public TunOptions {
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("TUN mtu must be between 576 and 65535, got " + mtu);
    }
    if (name != null) {
      if (name.isEmpty()) {
        throw new IllegalArgumentException("TUN device name must not be empty (leave it unset for the default)");
      }
      if (name.length() > MAX_NAME_BYTES || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
        throw new IllegalArgumentException("TUN device name '" + name
            + "' is invalid: use at most 15 printable ASCII characters without spaces or '/'");
      }
      int pct = name.indexOf('%');
      if (pct >= 0 && (!name.substring(pct).startsWith("%d") || name.indexOf('%', pct + 1) >= 0)) {
        throw new IllegalArgumentException("TUN device name '" + name
            + "' may contain only one '%d' pattern (the kernel fills in a free number)");
      }
    }
  }

  public static TunOptions defaults() {
    return new TunOptions(null, DEFAULT_MTU);
  }

  public TunOptions withName(String newName) {
    return new TunOptions(newName, mtu);
  }

  public TunOptions withMtu(int newMtu) {
    return new TunOptions(name, newMtu);
  }

  /** The name, or {@code fallback} when none was given. */
  public String nameOr(String fallback) {
    return name != null ? name : Objects.requireNonNull(fallback);
  }
}
