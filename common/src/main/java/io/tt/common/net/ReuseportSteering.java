package io.tt.common.net;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;

/**
 * Sends every new connection of an SO_REUSEPORT group to the group's first socket, with a one-instruction classic
 * BPF program ({@code ret #0}) attached to the group (SO_ATTACH_REUSEPORT_CBPF, Linux 4.5+, no privilege needed).
 * The kernel otherwise picks a socket by a hash of the addresses, so consecutive connections land on event loops
 * at random; {@link LoopBalancer} then spreads them by load from the first socket's loop instead.
 *
 * <p>If the first socket closes, the kernel moves another into its place; if the program returned an index past
 * the group, the kernel would fall back to its hash. Nothing here is on a connection's path: one system call
 * per listening address.
 */
final class ReuseportSteering {

  /** asm-generic values, which x86-64 and arm64 use (MIPS, SPARC and PA-RISC differ: not attempted there). */
  private static final int SOL_SOCKET = 1;
  private static final int SO_ATTACH_REUSEPORT_CBPF = 51;
  private static final short BPF_RET_K = 0x06;

  private static final boolean SUPPORTED = Platform.isLinux() && Platform.is64Bit()
      && (Platform.isIntel() || Platform.isARM());

  private ReuseportSteering() {
  }

  /** Direct-mapped setsockopt: one JNI transition, errno kept by JNA. */
  private static final class Libc {
    static {
      Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    static native int setsockopt(int fd, int level, int name, Pointer value, int length);
  }

  /**
   * Steers the group of {@code listener} (a bound native server channel with SO_REUSEPORT) to its first socket.
   *
   * @return null when attached, else why not (not Linux, not a native channel, the kernel refused)
   */
  static String toFirstSocket(Channel listener) {
    if (!SUPPORTED) {
      return "not Linux on x86-64 or arm64";
    }
    if (!(listener instanceof UnixChannel unix)) {
      return "not a native channel: " + listener.getClass().getSimpleName();
    }
    try {
      // One block, the call's argument, so the filter cannot be freed before the kernel copies it (a separate
      // Memory known only by its address would be unreachable, and freeable, during the call).
      // At 0, struct sock_fprog {unsigned short len; struct sock_filter *filter} on LP64: the pointer at offset 8.
      // At 16, struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}: ret #0.
      Memory program = new Memory(24);
      program.clear();
      program.setShort(0, (short) 1);
      program.setPointer(8, program.share(16));
      program.setShort(16, BPF_RET_K);
      int rc = Libc.setsockopt(unix.fd().intValue(), SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, program, 16);
      return rc == 0 ? null : "setsockopt(SO_ATTACH_REUSEPORT_CBPF) failed, errno " + Native.getLastError();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return "libc unavailable: " + e;
    }
  }
}
