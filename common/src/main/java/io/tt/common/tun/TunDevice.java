package io.tt.common.tun;

import java.nio.ByteBuffer;

/**
 * An open TUN device: a point-to-point interface whose packets are plain IP packets (IPv4 or
 * IPv6, no link-layer or platform header; macOS's 4-byte family header is added and removed
 * here).
 *
 * <p>Threading: one thread at a time may read and one thread at a time may write (they may be
 * different threads and run concurrently); each direction serialises itself if misused. {@link
 * #close()} and {@link #wakeup()} may be called from any thread at any time. {@code read} blocks;
 * never call it on a Vert.x event loop (use {@link TunReader}); {@code write} does not block in
 * practice (TUN writes go straight into the kernel's IP input) but is still a system call, so
 * event-loop code should go through {@link TunWriter}.
 *
 * <p>Buffers: the {@code long address} variants work on native memory (a direct Netty {@code
 * ByteBuf}'s {@code memoryAddress()}), with no copy and no allocation. The {@code ByteBuffer}
 * variants are the same for direct buffers; heap buffers go through a per-direction native scratch
 * area (one copy).
 */
public interface TunDevice extends AutoCloseable {

  /** Interface name as the OS knows it ("tt0", "utun5"), for {@code ip}/{@code ifconfig}. */
  String name();

  /** The MTU the device was opened for (see {@link TunOptions#mtu()}); size read buffers to it. */
  int mtu();

  /**
   * Reads one IP packet into {@code dst} at its position and advances the position by its length.
   * Blocks until a packet arrives, {@link #wakeup()} is called (returns 0), or the device is closed
   * (throws {@link TunClosedException}). {@code dst} should have at least {@link #mtu()} bytes
   * remaining: the kernel cuts a packet that does not fit and discards the rest; this method
   * reports that as a {@link TunTruncatedPacketException} (the packet is lost, the device is fine).
   *
   * @return the packet length, or 0 if woken up without a packet
   */
  int read(ByteBuffer dst) throws TunException;

  /** Like {@link #read(ByteBuffer)}, into {@code capacity} bytes of native memory at {@code address}. */
  int read(long address, int capacity) throws TunException;

  /**
   * Writes the remaining bytes of {@code packet} as one IP packet and advances its position to its
   * limit. The kernel rejects a packet whose first nibble is not 4 or 6 (a {@link TunException}).
   */
  void write(ByteBuffer packet) throws TunException;

  /** Like {@link #write(ByteBuffer)}, from {@code length} bytes of native memory at {@code address}. */
  void write(long address, int length) throws TunException;

  /**
   * Makes a thread blocked in (or about to enter) {@code read} return 0 promptly. Used by {@link
   * TunReader} to stop without closing the device. Harmless when nobody is reading.
   */
  void wakeup();

  /**
   * Closes the device (the interface disappears unless it was made persistent). A thread blocked
   * in {@code read} returns promptly with {@link TunClosedException}; later calls throw it too.
   * Idempotent, never throws.
   */
  @Override
  void close();

  /** Whether {@link #close()} has been called. */
  boolean isClosed();
}
