package io.tt.common.crypto;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;

/**
 * Native calls through the JDK's Foreign Function API (java.lang.foreign, final in JDK 22) where the JVM has it.
 *
 * <p>Why: a JNA call costs about 0.3 µs in a tight loop and 1-2 µs inside the proxy (its JNI transition, argument
 * marshalling and exception check, with cold caches), and each connection makes several small seals and opens. A
 * downcall handle with {@code Linker.Option.critical} is compiled by C2 into a plain call of the function.
 *
 * <p>TT is built for Java 17, so the API is reached by reflection, once, here; the handles this returns have
 * primitive types only (every C argument is a 64-bit integer: pointers are passed as addresses, as with JNA's direct
 * mapping) and are invoked with {@code invokeExact} from code that never names a java.lang.foreign type.
 */
final class ForeignDowncalls {

  /** Whether downcalls can be made: JDK 22 or newer, not switched off with {@code -Dtt.native.calls=jna}. */
  static final boolean AVAILABLE;

  private static final Object LINKER;
  private static final Method OF_ADDRESS;
  private static final Method DESCRIPTOR_OF;
  private static final Method DOWNCALL;
  private static final Object JAVA_INT;
  private static final Object JAVA_LONG;
  private static final Class<?> LAYOUT;
  private static final Object OPTIONS;

  static {
    Object linker = null;
    Method ofAddress = null;
    Method descriptorOf = null;
    Method downcall = null;
    Object javaInt = null;
    Object javaLong = null;
    Class<?> layout = null;
    Object options = null;
    if (Runtime.version().feature() >= 22 && !"jna".equalsIgnoreCase(System.getProperty("tt.native.calls", ""))) {
      try {
        Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
        Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
        Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
        Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
        Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
        layout = Class.forName("java.lang.foreign.MemoryLayout");
        linker = linkerClass.getMethod("nativeLinker").invoke(null);
        ofAddress = segment.getMethod("ofAddress", long.class);
        descriptorOf = descriptor.getMethod("of", layout, layout.arrayType());
        downcall = linkerClass.getMethod("downcallHandle", segment, descriptor, option.arrayType());
        javaInt = valueLayout.getField("JAVA_INT").get(null);
        javaLong = valueLayout.getField("JAVA_LONG").get(null);
        // critical: no thread-state transition around the call. The calls made this way are short (a seal or open
        // of one frame, at most 64 KiB: tens of microseconds) and never call back into Java or block.
        options = Array.newInstance(option, 1);
        Array.set(options, 0, option.getMethod("critical", boolean.class).invoke(null, false));
      } catch (ReflectiveOperationException | RuntimeException e) {
        linker = null;
      }
    }
    AVAILABLE = linker != null;
    LINKER = linker;
    OF_ADDRESS = ofAddress;
    DESCRIPTOR_OF = descriptorOf;
    DOWNCALL = downcall;
    JAVA_INT = javaInt;
    JAVA_LONG = javaLong;
    LAYOUT = layout;
    OPTIONS = options;
  }

  private ForeignDowncalls() {
  }

  /**
   * A handle of type {@code (long x longArgs)int} calling the C function at {@code address}, which takes
   * {@code longArgs} 64-bit integer or pointer arguments and returns an int; null when downcalls are unavailable
   * or the JVM refuses them (native access denied), so the caller keeps its JNA path.
   */
  static MethodHandle intFunction(long address, int longArgs) {
    if (!AVAILABLE || address == 0) {
      return null;
    }
    try {
      Object args = Array.newInstance(LAYOUT, longArgs);
      for (int i = 0; i < longArgs; i++) {
        Array.set(args, i, JAVA_LONG);
      }
      Object descriptor = DESCRIPTOR_OF.invoke(null, JAVA_INT, args);
      Object target = OF_ADDRESS.invoke(null, address);
      return (MethodHandle) DOWNCALL.invoke(LINKER, target, descriptor, OPTIONS);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * {@link #intFunction(long, int)} for the function {@code name} of a library JNA loaded; null when the library is
   * null, lacks the function, or downcalls are unavailable.
   */
  static MethodHandle intFunction(NativeLibrary lib, String name, int longArgs) {
    if (lib == null) {
      return null;
    }
    try {
      return intFunction(Pointer.nativeValue(lib.getFunction(name)), longArgs);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }
}
