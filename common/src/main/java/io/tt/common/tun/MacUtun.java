package io.tt.common.tun;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * macOS utun through a kernel-control socket: {@code socket(PF_SYSTEM, SOCK_DGRAM,
 * SYSPROTO_CONTROL)}, {@code ioctl(CTLIOCGINFO)} to look up the id of
 * "com.apple.net.utun_control", {@code connect} with a {@code sockaddr_ctl} whose {@code sc_unit}
 * is N+1 for utunN (0 = first free), then {@code getsockopt(UTUN_OPT_IFNAME)} for the name.
 *
 * <p>Each packet on the socket carries a 4-byte address family in network byte order (AF_INET 2,
 * AF_INET6 30) before the IP header. readv/writev with a separate 4-byte header slot strip and add
 * it without copying the packet.
 *
 * <p>Not exercised on Linux CI: the struct layouts and header rules are unit-tested as pure
 * functions; the calls themselves need a Mac.
 */
public final class MacUtun extends FdTun {
  static final int PF_SYSTEM = 32;
  static final int AF_SYSTEM = 32;
  static final int AF_SYS_CONTROL = 2;
  static final int SOCK_DGRAM = 2;
  static final int SYSPROTO_CONTROL = 2;
  static final int UTUN_OPT_IFNAME = 2;
  static final String UTUN_CONTROL_NAME = "com.apple.net.utun_control";
  static final int MAX_KCTL_NAME = 96;
  /** struct ctl_info { u_int32_t ctl_id; char ctl_name[96]; }. */
  static final int CTL_INFO_SIZE = 4 + MAX_KCTL_NAME;
  /** struct sockaddr_ctl { u_char sc_len, sc_family; u_int16_t ss_sysaddr; u_int32_t sc_id, sc_unit, sc_reserved[5]; }. */
  static final int SOCKADDR_CTL_SIZE = 32;
  /** _IOWR('N', 3, struct ctl_info). */
  static final long CTLIOCGINFO = iowr('N', 3, CTL_INFO_SIZE);
  static final int AF_INET = 2;
  static final int AF_INET6 = 30;
  static final int HEADER = 4;
  private static final int IFNAMSIZ = 16;

  // Per-direction iovec[2] + header slot, reused for every packet (one reader, one writer thread).
  private final Memory readIov = new Memory(32);
  private final Memory readHeader = new Memory(HEADER);
  private final Memory writeIov = new Memory(32);
  private final Memory writeHeaders = new Memory(2 * HEADER); // ready-made AF_INET, AF_INET6 headers

  private MacUtun(int fd, String name, int mtu) throws TunException {
    super(fd, name, mtu);
    writeHeaders.write(0, header(AF_INET), 0, HEADER);
    writeHeaders.write(HEADER, header(AF_INET6), 0, HEADER);
    readIov.setPointer(0, readHeader);
    readIov.setLong(8, HEADER);
    writeIov.setLong(8, HEADER);
  }

  /** BSD ioctl encoding: IOC_INOUT | (len & IOCPARM_MASK) << 16 | group << 8 | num. */
  static long iowr(char group, int num, int len) {
    return 0xc0000000L | ((long) (len & 0x1fff) << 16) | ((long) group << 8) | num;
  }

  /** The unit to connect to: 0 for "any free" (name null or "utun"), N+1 for "utunN". */
  static int unitFor(String name) throws TunException {
    if (name == null || name.equals("utun")) {
      return 0;
    }
    if (name.startsWith("utun") && name.length() > 4 && name.length() <= 9
        && name.substring(4).chars().allMatch(Character::isDigit)
        && (name.length() == 5 || name.charAt(4) != '0')) {
      return Integer.parseInt(name.substring(4)) + 1;
    }
    throw new TunException("macOS TUN devices are always named utunN: use no name (the first free one), \"utun\","
        + " or e.g. \"utun7\", not '" + name + "'");
  }

  /** struct ctl_info asking for {@code controlName}, native order. */
  static byte[] ctlInfo(String controlName) {
    byte[] n = controlName.getBytes(StandardCharsets.US_ASCII);
    if (n.length >= MAX_KCTL_NAME) {
      throw new IllegalArgumentException("control name too long: " + controlName);
    }
    ByteBuffer b = ByteBuffer.allocate(CTL_INFO_SIZE).order(ByteOrder.nativeOrder());
    b.putInt(0);
    b.put(n);
    return b.array();
  }

  /** struct sockaddr_ctl for connect(2), native order. */
  static byte[] sockaddrCtl(int ctlId, int unit) {
    ByteBuffer b = ByteBuffer.allocate(SOCKADDR_CTL_SIZE).order(ByteOrder.nativeOrder());
    b.put((byte) SOCKADDR_CTL_SIZE);
    b.put((byte) AF_SYSTEM);
    b.putShort((short) AF_SYS_CONTROL);
    b.putInt(ctlId);
    b.putInt(unit);
    return b.array(); // sc_reserved stays zero
  }

  /** The 4-byte utun header for an address family: big-endian, whatever the host order. */
  static byte[] header(int family) {
    return new byte[] {(byte) (family >>> 24), (byte) (family >>> 16), (byte) (family >>> 8), (byte) family};
  }

  /** The family for a packet whose first byte is {@code firstByte}: AF_INET for version 4, else AF_INET6. */
  static int familyFor(byte firstByte) {
    return ((firstByte & 0xf0) == 0x40) ? AF_INET : AF_INET6;
  }

  /** Reads the family out of a received header. */
  static int familyOf(byte[] header) {
    return ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
  }

  /** Heap-buffer form of what {@link #write(long, int)} sends: header + packet (for tests and tools). */
  static ByteBuffer framed(ByteBuffer packet) {
    ByteBuffer out = ByteBuffer.allocate(HEADER + packet.remaining());
    out.put(header(familyFor(packet.get(packet.position()))));
    out.put(packet.duplicate());
    return out.flip();
  }

  /** Heap-buffer form of what {@link #read(long, int)} returns: the frame without its header. */
  static ByteBuffer unframed(ByteBuffer frame) throws TunException {
    if (frame.remaining() < HEADER) {
      throw new TunException("utun frame of " + frame.remaining() + " bytes is shorter than its 4-byte header");
    }
    return frame.duplicate().position(frame.position() + HEADER).slice();
  }

  public static MacUtun open(TunOptions options) throws TunException {
    Posix.requireLp64();
    int unit = unitFor(options.name());
    int fd = Posix.Setup.C.socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL);
    if (fd < 0) {
      int err = Posix.lastError();
      throw new TunException("cannot create the utun control socket: " + Posix.describe(err)
          + (err == Posix.EPERM || err == Posix.EACCES ? ": TUN mode needs root" : ""));
    }
    try {
      Memory info = new Memory(CTL_INFO_SIZE);
      info.write(0, ctlInfo(UTUN_CONTROL_NAME), 0, CTL_INFO_SIZE);
      if (Posix.Setup.C.ioctl(fd, new NativeLong(CTLIOCGINFO), info) < 0) {
        throw new TunException("looking up " + UTUN_CONTROL_NAME + " (ioctl CTLIOCGINFO) failed: "
            + Posix.describe(Posix.lastError()));
      }
      Memory addr = new Memory(SOCKADDR_CTL_SIZE);
      addr.write(0, sockaddrCtl(info.getInt(0), unit), 0, SOCKADDR_CTL_SIZE);
      if (Posix.Setup.C.connect(fd, addr, SOCKADDR_CTL_SIZE) < 0) {
        int err = Posix.lastError();
        String which = unit == 0 ? "a utun device" : "utun" + (unit - 1);
        String hint = err == Posix.EBUSY ? ": it is in use by another process; pick another or let the kernel choose"
            : err == Posix.EPERM || err == Posix.EACCES ? ": TUN mode needs root" : "";
        throw new TunException("creating " + which + " failed: " + Posix.describe(err) + hint);
      }
      Memory ifname = new Memory(IFNAMSIZ);
      ifname.clear();
      IntByReference len = new IntByReference(IFNAMSIZ);
      if (Posix.Setup.C.getsockopt(fd, SYSPROTO_CONTROL, UTUN_OPT_IFNAME, ifname, len) < 0) {
        throw new TunException("reading the utun interface name (UTUN_OPT_IFNAME) failed: "
            + Posix.describe(Posix.lastError()));
      }
      String name = ifname.getString(0, StandardCharsets.US_ASCII.name());
      int err = Posix.makeNonBlockingCloexec(fd);
      if (err != 0) {
        throw new TunException("cannot make " + name + " non-blocking: " + Posix.describe(err));
      }
      return new MacUtun(fd, name, options.mtu());
    } catch (TunException | RuntimeException e) {
      Posix.closeQuietly(fd);
      throw e;
    }
  }

  @Override
  protected long nativeRead(long address, int capacity) throws TunException {
    long iov = Pointer.nativeValue(readIov);
    NativeMem.putLong(iov + 16, address);
    NativeMem.putLong(iov + 24, capacity);
    long n = Posix.Hot.readv(fd, iov, 2);
    if (n < 0) {
      return n;
    }
    if (n < HEADER) {
      throw new TunException("short read of " + n + " bytes from " + name() + " (no utun header)");
    }
    return n - HEADER;
  }

  @Override
  protected long nativeWrite(long address, int length) {
    long iov = Pointer.nativeValue(writeIov);
    long headers = Pointer.nativeValue(writeHeaders);
    NativeMem.putLong(iov, familyFor(NativeMem.getByte(address)) == AF_INET ? headers : headers + HEADER);
    NativeMem.putLong(iov + 16, address);
    NativeMem.putLong(iov + 24, length);
    long n = Posix.Hot.writev(fd, iov, 2);
    return n < 0 ? n : Math.max(0, n - HEADER);
  }
}
