package io.tt.common.tun;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Linux TUN through {@code /dev/net/tun}: {@code open}, then {@code ioctl(TUNSETIFF)} with
 * {@code IFF_TUN | IFF_NO_PI}, so every read(2) returns exactly one bare IP packet and every
 * write(2) injects one. The device lives in the network namespace of the thread that opens it.
 */
public final class LinuxTun extends FdTun {
  static final String DEV = "/dev/net/tun";
  /** _IOW('T', 202, int). */
  static final long TUNSETIFF = 0x400454caL;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  /** struct ifreq: char ifr_name[16] then a 24-byte union whose first member is short ifr_flags. */
  static final int IFREQ_SIZE = 40;
  static final int IFNAMSIZ = 16;
  static final int O_RDWR = 0x2;
  static final int O_NONBLOCK = 0x800;
  static final int O_CLOEXEC = 0x80000;
  private static final int EBADFD = 77;

  private LinuxTun(int fd, String name, int mtu) throws TunException {
    super(fd, name, mtu);
  }

  /** Opens (creating if needed) a TUN device named after {@code options.name()} ("tt%d" if unset). */
  public static LinuxTun open(TunOptions options) throws TunException {
    Posix.requireLp64();
    String requested = options.nameOr(TunOptions.DEFAULT_LINUX_NAME);
    int fd = Posix.Setup.C.open(DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      throw new TunException(explainOpenError(Posix.lastError()));
    }
    Memory ifr = new Memory(IFREQ_SIZE);
    ifr.write(0, ifreq(requested, (short) (IFF_TUN | IFF_NO_PI)), 0, IFREQ_SIZE);
    if (Posix.Setup.C.ioctl(fd, new NativeLong(TUNSETIFF), ifr) < 0) {
      int err = Posix.lastError();
      Posix.closeQuietly(fd);
      throw new TunException(explainSetIffError(err, requested));
    }
    byte[] back = ifr.getByteArray(0, IFNAMSIZ);
    int len = 0;
    while (len < IFNAMSIZ && back[len] != 0) {
      len++;
    }
    return new LinuxTun(fd, new String(back, 0, len, StandardCharsets.US_ASCII), options.mtu());
  }

  /** The 40-byte struct ifreq for TUNSETIFF, in native byte order. */
  static byte[] ifreq(String name, short flags) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    if (n.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name '" + name + "' is longer than 15 bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(IFREQ_SIZE).order(ByteOrder.nativeOrder());
    b.put(n);
    b.putShort(IFNAMSIZ, flags);
    return b.array();
  }

  static String explainOpenError(int errno) {
    if (errno == Posix.ENOENT) {
      return DEV + " does not exist: load the tun kernel module (modprobe tun), or in a container pass the"
          + " device in (docker run --device /dev/net/tun --cap-add NET_ADMIN)";
    }
    if (errno == Posix.EACCES || errno == Posix.EPERM) {
      return "cannot open " + DEV + ": " + Posix.describe(errno) + ": TUN mode needs root or CAP_NET_ADMIN";
    }
    if (errno == Posix.ENODEV || errno == 6 /* ENXIO */) {
      return "cannot open " + DEV + ": " + Posix.describe(errno) + ": the kernel has no TUN support (CONFIG_TUN)"
          + " or the tun module is not loaded (modprobe tun)";
    }
    return "cannot open " + DEV + ": " + Posix.describe(errno);
  }

  static String explainSetIffError(int errno, String requested) {
    String what = "creating TUN device '" + requested + "' (ioctl TUNSETIFF) failed: " + Posix.describe(errno);
    if (errno == Posix.EPERM || errno == Posix.EACCES) {
      return what + ": TUN mode needs root or CAP_NET_ADMIN (or a persistent device owned by this user)";
    }
    if (errno == Posix.EBUSY) {
      return what + ": a TUN device of that name is already open in another process; pick another name"
          + " (a pattern like tt%d picks a free one)";
    }
    if (errno == Posix.EINVAL) {
      return what + ": the name is taken by an interface that is not a TUN device, or is not a valid name";
    }
    if (errno == 23 /* ENFILE */ || errno == 17 /* EEXIST */) {
      return what + ": no free interface name for that pattern";
    }
    return what;
  }

  @Override
  protected long nativeRead(long address, int capacity) {
    return Posix.Hot.read(fd, address, capacity);
  }

  @Override
  protected long nativeWrite(long address, int length) {
    return Posix.Hot.write(fd, address, length);
  }

  @Override
  protected String explainReadError(int errno, int capacity) {
    if (errno == EBADFD || errno == 5 /* EIO */) {
      return Posix.describe(errno) + ": the interface was deleted or detached";
    }
    return null;
  }

  @Override
  protected String explainWriteError(int errno, int length) {
    if (errno == Posix.EINVAL) {
      return Posix.describe(errno) + ": the kernel rejected the packet (not IPv4/IPv6, or malformed)";
    }
    if (errno == 5 /* EIO */) {
      return Posix.describe(errno) + ": the interface is down (ip link set dev " + name() + " up)";
    }
    if (errno == EBADFD) {
      return Posix.describe(errno) + ": the interface was deleted or detached";
    }
    return null;
  }
}
