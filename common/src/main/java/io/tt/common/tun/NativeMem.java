package io.tt.common.tun;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.util.internal.PlatformDependent;
import java.nio.ByteBuffer;

/**
 * Raw native-memory access without allocation: Netty's Unsafe accessors when present (they are on
 * every JDK TT runs on), JNA otherwise (which allocates a small {@link Pointer} per call).
 */
final class NativeMem {
  private NativeMem() {}

  private static final boolean UNSAFE = PlatformDependent.hasUnsafe();

  /** Address of the first byte (index 0, not the position) of a direct buffer. */
  static long address(ByteBuffer direct) {
    return UNSAFE
        ? PlatformDependent.directBufferAddress(direct)
        : Pointer.nativeValue(Native.getDirectBufferPointer(direct));
  }

  static byte getByte(long address) {
    return UNSAFE ? PlatformDependent.getByte(address) : new Pointer(address).getByte(0);
  }

  static void putLong(long address, long value) {
    if (UNSAFE) {
      PlatformDependent.putLong(address, value);
    } else {
      new Pointer(address).setLong(0, value);
    }
  }

  static void putInt(long address, int value) {
    if (UNSAFE) {
      PlatformDependent.putInt(address, value);
    } else {
      new Pointer(address).setInt(0, value);
    }
  }
}
