package io.tt.common.tun;

import java.util.Locale;

/** Opens the TUN device of the running OS. */
public final class TunDevices {
  private TunDevices() {}

  /** The TUN flavours TT has. */
  public enum Kind {
    LINUX_TUN,
    MACOS_UTUN
  }

  static final String WINDOWS_MESSAGE = "TUN mode on Windows needs WinTUN, which TT does not support yet";

  /** Opens a device for {@code options} on this OS. */
  public static TunDevice open(TunOptions options) throws TunException {
    return switch (kindFor(System.getProperty("os.name", ""))) {
      case LINUX_TUN -> LinuxTun.open(options);
      case MACOS_UTUN -> MacUtun.open(options);
    };
  }

  /**
   * Which implementation serves {@code osName} (a value of the {@code os.name} property), or an
   * {@link UnsupportedTunException} saying why none does.
   */
  public static Kind kindFor(String osName) throws UnsupportedTunException {
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (os.startsWith("linux")) {
      return Kind.LINUX_TUN;
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return Kind.MACOS_UTUN;
    }
    if (os.startsWith("windows")) {
      throw new UnsupportedTunException(WINDOWS_MESSAGE);
    }
    throw new UnsupportedTunException("TUN mode is not supported on "
        + (osName == null || osName.isBlank() ? "this operating system" : osName)
        + "; TT supports it on Linux and macOS. The SOCKS5/HTTP proxy mode works everywhere.");
  }
}
