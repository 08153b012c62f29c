package io.tt.common.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.UnixChannel;
import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Sends bytes from a heap array straight into a socket, when nothing is queued before them.
 *
 * <p>Why: the JDK's AES-GCM works on arrays, so a frame is sealed into a heap array, and Netty's native transport
 * writes only native memory: the sealed frame was copied into a direct buffer first. That copy of 64 KiB into
 * memory the allocator last used long ago took 4-5 µs per frame on the server (measured in place with
 * System.nanoTime), 7 % of its CPU in bulk. Here the kernel copies from the array itself: a {@code send(2)}
 * through the Foreign Function API with heap access (JDK 22+), the array pinned for the call.
 *
 * <p>Only when it cannot reorder anything: on the channel's event loop, the channel writable and Netty holding no
 * bytes for it (flushed or not), so these bytes would have been the next on the wire anyway. What the socket does
 * not take at once, and everything when this does not apply (another transport, JDK 17, {@code -Dtt.heap.send=off}),
 * goes through the channel as before. A send that fails sends nothing: the channel's own write then meets the same
 * error and handles it as it always did.
 */
public final class HeapSend {

  /** Whether heap sends can be made here: JDK 22+ on Linux, not switched off with {@code -Dtt.heap.send=off}. */
  public static final boolean AVAILABLE;

  /** Largest unit a thread's scratch array holds: a read sealed as frames, with room to spare. */
  public static final int SCRATCH_SIZE = 160 * 1024;

  private static final Logger LOG = Logger.getLogger(HeapSend.class.getName());

  private static final int MSG_DONTWAIT = 0x40;
  private static final int MSG_NOSIGNAL = 0x4000;

  /** {@code (int fd, byte[] array, long offset, long length, int flags) long}: libc's send on a slice of the array. */
  private static final MethodHandle SEND;

  /** Per event loop: the array frames are sealed into before they are sent. */
  private static final FastThreadLocal<ByteBuf> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected ByteBuf initialValue() {
      return Unpooled.wrappedBuffer(new byte[SCRATCH_SIZE]);
    }
  };

  static {
    MethodHandle send = null;
    boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    if (linux && Runtime.version().feature() >= 22 && !"off".equalsIgnoreCase(System.getProperty("tt.heap.send", ""))) {
      try {
        send = sendHandle();
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        send = null; // no native access granted, or no send symbol: the channel's own writes serve
      }
    }
    SEND = send;
    AVAILABLE = send != null;
  }

  /** For the logs: whether heap sends serve here, and why not. */
  public static String describe() {
    if (AVAILABLE) {
      return "on";
    }
    if (Runtime.version().feature() < 22) {
      return "off (JDK " + Runtime.version().feature() + " has no heap access for native calls; 22+ has)";
    }
    return "off".equalsIgnoreCase(System.getProperty("tt.heap.send", "")) ? "off (-Dtt.heap.send=off)"
        : "off (not Linux, or native access not granted)";
  }

  /** Whether a send from an array went out yet in this process: the first one is logged (-v), once. */
  private static boolean used;

  private final Channel channel;
  private final int fd;

  private HeapSend(Channel channel, int fd) {
    this.channel = channel;
    this.fd = fd;
  }

  /** A sender for {@code channel}, or null where heap sends do not apply to it (unavailable, not epoll). */
  public static HeapSend of(Channel channel) {
    // epoll only: its writes are plain send(2)s on the descriptor, so one more from here cannot race them.
    if (!AVAILABLE || !(channel instanceof UnixChannel unix)
        || !channel.getClass().getName().startsWith("io.netty.channel.epoll.")) {
      return null;
    }
    return new HeapSend(channel, unix.fd().intValue());
  }

  /**
   * The calling thread's scratch buffer, empty, when it can hold {@code capacity} bytes; null otherwise. What is
   * put in it must be sent (or copied) before the thread's next call.
   */
  public static ByteBuf scratch(int capacity) {
    if (capacity > SCRATCH_SIZE) {
      return null;
    }
    return SCRATCH.get().clear();
  }

  /**
   * Sends as much of {@code buf}'s readable bytes (a heap buffer) as the socket takes now, when nothing is queued
   * ahead of them; consumes what it sent and returns how many bytes that was (0: nothing sent, write it as usual).
   */
  public int send(ByteBuf buf) {
    int len = buf.readableBytes();
    if (len == 0 || !buf.hasArray() || !channel.eventLoop().inEventLoop() || !channel.isActive()
        || !channel.isWritable()) {
      return 0;
    }
    ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
    if (queued == null || queued.totalPendingWriteBytes() != 0) {
      return 0;
    }
    long n;
    try {
      n = (long) SEND.invokeExact(fd, buf.array(), (long) (buf.arrayOffset() + buf.readerIndex()), (long) len,
          MSG_DONTWAIT | MSG_NOSIGNAL);
    } catch (Throwable t) {
      return 0;
    }
    if (n <= 0) {
      return 0; // EAGAIN or an error: the channel's write queues the bytes or meets the error itself
    }
    buf.skipBytes((int) n);
    if (!used) {
      used = true; // a race between event loops logs it twice at worst
      LOG.fine(() -> "first bytes sent to a socket straight from a heap array (" + n + " bytes)");
    }
    return (int) n;
  }

  /**
   * What {@link #send} left of the thread's scratch buffer, copied into native memory for the channel's own write
   * (the scratch array is reused by the thread's next frame); null when the socket took it all.
   */
  public static ByteBuf restOfScratch(ByteBuf scratch, ByteBufAllocator alloc) {
    return scratch.isReadable() ? alloc.directBuffer(scratch.readableBytes()).writeBytes(scratch) : null;
  }

  /**
   * libc's {@code ssize_t send(int, const void *, size_t, int)} as a critical downcall that may take a heap
   * segment, adapted to take the array and an offset. Built by reflection: TT compiles for Java 17.
   */
  private static MethodHandle sendHandle() throws ReflectiveOperationException {
    Class<?> linkerClass = Class.forName("java.lang.foreign.Linker");
    Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
    Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
    Class<?> layout = Class.forName("java.lang.foreign.MemoryLayout");
    Class<?> descriptor = Class.forName("java.lang.foreign.FunctionDescriptor");
    Class<?> option = Class.forName("java.lang.foreign.Linker$Option");
    Class<?> symbols = Class.forName("java.lang.foreign.SymbolLookup");
    Object linker = linkerClass.getMethod("nativeLinker").invoke(null);
    Object lookup = linkerClass.getMethod("defaultLookup").invoke(linker);
    Optional<?> address = (Optional<?>) symbols.getMethod("find", String.class).invoke(lookup, "send");
    if (address.isEmpty()) {
      return null;
    }
    Object args = Array.newInstance(layout, 4);
    Array.set(args, 0, valueLayout.getField("JAVA_INT").get(null));
    Array.set(args, 1, valueLayout.getField("ADDRESS").get(null));
    Array.set(args, 2, valueLayout.getField("JAVA_LONG").get(null));
    Array.set(args, 3, valueLayout.getField("JAVA_INT").get(null));
    Method of = descriptor.getMethod("of", layout, layout.arrayType());
    Object function = of.invoke(null, valueLayout.getField("JAVA_LONG").get(null), args);
    // critical(true): no thread-state transition, and heap segments allowed (the array is pinned for the call);
    // a non-blocking send of one unit to loopback or a NIC queue returns in microseconds.
    Object options = Array.newInstance(option, 1);
    Array.set(options, 0, option.getMethod("critical", boolean.class).invoke(null, true));
    MethodHandle send = (MethodHandle) linkerClass.getMethod("downcallHandle", segment, descriptor, option.arrayType())
        .invoke(linker, address.get(), function, options);
    MethodHandles.Lookup pub = MethodHandles.publicLookup();
    MethodHandle ofArray = pub.findStatic(segment, "ofArray", MethodType.methodType(segment, byte[].class));
    MethodHandle asSlice = pub.findVirtual(segment, "asSlice", MethodType.methodType(segment, long.class, long.class));
    // (byte[], long offset, long length) -> the segment of that slice, bounds-checked; then send(fd, slice, length, flags)
    MethodHandle slice = MethodHandles.filterArguments(asSlice, 0, ofArray);
    MethodHandle sendSlice = MethodHandles.collectArguments(send, 1, slice); // (int, byte[], long, long, long, int)
    // The slice's length and send's length are the same value: pass it once.
    return MethodHandles.permuteArguments(sendSlice,
        MethodType.methodType(long.class, int.class, byte[].class, long.class, long.class, int.class),
        0, 1, 2, 3, 3, 4);
  }
}
