package io.tt.common.tun;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls the TUN layer needs, shared by Linux and macOS.
 *
 * <p>Hot-path calls ({@link Hot}) use JNA direct mapping with {@code long} addresses, so a call
 * allocates nothing and costs one JNI transition; their errno is read with {@link
 * Native#getLastError()} (JNA saves it after every native call) instead of declaring {@code
 * LastErrorException}, so an expected EAGAIN does not build an exception. Pointers passed as
 * {@code long} and {@code size_t} as {@code long} assume an LP64 platform (checked in {@link
 * #requireLp64()}). Setup calls ({@link Setup}) use interface mapping because {@code open},
 * {@code fcntl} and {@code ioctl} are variadic, and variadic calls must be made as such on
 * Apple Silicon (JNA does that for {@code Object...} parameters).
 */
final class Posix {
  private Posix() {}

  static final boolean MAC = Platform.isMac();

  // errno values that differ between Linux and the BSDs are chosen at class init.
  static final int EPERM = 1;
  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EBADF = 9;
  static final int EAGAIN = MAC ? 35 : 11;
  static final int EACCES = 13;
  static final int EFAULT = 14;
  static final int EBUSY = 16;
  static final int ENODEV = 19;
  static final int EINVAL = 22;

  static final short POLLIN = 0x1;
  static final short POLLOUT = 0x4;
  static final short POLLERR = 0x8;
  static final short POLLHUP = 0x10;
  static final short POLLNVAL = 0x20;

  static final int F_SETFD = 2;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int FD_CLOEXEC = 1;
  static final int O_NONBLOCK = MAC ? 0x4 : 0x800;

  /** Direct-mapped, allocation-free calls for the packet path. */
  static final class Hot {
    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    private Hot() {}

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native long readv(int fd, long iov, int iovcnt);

    static native long writev(int fd, long iov, int iovcnt);

    /** nfds_t is unsigned long on Linux, unsigned int on macOS: a long in the register fits both. */
    static native int poll(long fds, long nfds, int timeoutMillis);
  }

  /** Interface-mapped calls used when opening and closing a device. */
  interface Setup extends Library {
    Setup C = Native.load(Platform.C_LIBRARY_NAME, Setup.class);

    int open(String path, int flags);

    int close(int fd);

    int pipe(int[] fds);

    int fcntl(int fd, int cmd, Object... args);

    int ioctl(int fd, NativeLong request, Object... args);

    int socket(int domain, int type, int protocol);

    int connect(int fd, Pointer addr, int addrlen);

    int getsockopt(int fd, int level, int name, Pointer value, IntByReference len);

    String strerror(int errnum);

    int geteuid();
  }

  static void requireLp64() throws TunException {
    if (Native.POINTER_SIZE != 8 || Native.LONG_SIZE != 8) {
      throw new UnsupportedTunException("TUN mode needs a 64-bit JVM on a 64-bit OS (pointer size "
          + Native.POINTER_SIZE + ", long size " + Native.LONG_SIZE + ")");
    }
  }

  /** "No such file or directory (errno 2)". */
  static String describe(int errno) {
    String text;
    try {
      text = Setup.C.strerror(errno);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      text = null;
    }
    return (text == null ? "error" : text) + " (errno " + errno + ")";
  }

  static int lastError() {
    return Native.getLastError();
  }

  /** Sets O_NONBLOCK and FD_CLOEXEC; returns 0 or the errno. */
  static int makeNonBlockingCloexec(int fd) {
    int flags = Setup.C.fcntl(fd, F_GETFL);
    if (flags < 0) {
      return lastError();
    }
    if (Setup.C.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
      return lastError();
    }
    if (Setup.C.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
      return lastError();
    }
    return 0;
  }

  static void closeQuietly(int fd) {
    if (fd >= 0) {
      Setup.C.close(fd);
    }
  }
}
