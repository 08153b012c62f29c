package io.tt.common.tun;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes IP packets to a {@link TunDevice} from any thread (typically event loops) without ever
 * blocking the caller: {@link #write(ByteBuf)} puts the packet on a bounded queue that one
 * dedicated writer thread empties. When the queue is full the packet is dropped and counted, the
 * way a router drops at a full interface queue; IP and the transports above it cope with loss, and
 * neither an event loop stall nor unbounded memory is acceptable instead.
 *
 * <p>Ownership: {@code write} takes the buffer whatever it returns; the writer releases it once
 * written, dropped or discarded at close. The packet is the buffer's readable bytes.
 *
 * <p>Why a dedicated thread rather than Vert.x's worker pool: writes are a steady stream of short
 * system calls; one long-lived thread owning the device's write side keeps them in order and costs
 * no task submission per packet, and it never holds a shared worker-pool thread hostage.
 */
public final class TunWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TunWriter.class.getName());
  public static final int DEFAULT_QUEUE_CAPACITY = 1024;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final TunDevice device;
  private final Queue<ByteBuf> queue; // multi-producer, single consumer (the writer thread, then close)
  private final int capacity;
  private final Thread thread;
  private final Object drainLock = new Object();
  private volatile boolean stopping;
  private volatile boolean terminated;
  private volatile boolean writerWaiting;

  private final AtomicLong written = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong failed = new AtomicLong();

  private TunWriter(TunDevice device, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("queue capacity must be at least 1, got " + capacity);
    }
    this.device = device;
    this.capacity = capacity;
    this.queue = PlatformDependent.newFixedMpscQueue(capacity);
    this.thread = new FastThreadLocalThread(this::run, "tt-tun-writer-" + device.name());
    thread.setDaemon(true);
  }

  /** Starts a writer with a queue of {@code capacity} packets (rounded up to a power of two by the queue). */
  public static TunWriter start(TunDevice device, int capacity) {
    TunWriter w = new TunWriter(device, capacity);
    w.thread.start();
    return w;
  }

  public static TunWriter start(TunDevice device) {
    return start(device, DEFAULT_QUEUE_CAPACITY);
  }

  /**
   * Queues one IP packet (the readable bytes of {@code packet}) for the device. Never blocks.
   * Takes ownership of {@code packet} in every case.
   *
   * @return true if queued, false if dropped (queue full or writer closed)
   */
  public boolean write(ByteBuf packet) {
    if (stopping || !packet.isReadable()) {
      packet.release();
      dropped.increment();
      return false;
    }
    if (!queue.offer(packet)) {
      packet.release();
      dropped.increment();
      return false;
    }
    if (terminated) {
      discardQueued(); // the writer thread is gone; do not leave the packet in the queue
      return false;
    }
    if (writerWaiting) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  private void run() {
    try {
      while (true) {
        ByteBuf b = queue.poll();
        if (b == null) {
          if (stopping) {
            break;
          }
          writerWaiting = true;
          if (queue.isEmpty() && !stopping) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
          }
          writerWaiting = false;
          continue;
        }
        try {
          writeOne(b);
          written.incrementAndGet();
        } catch (TunClosedException e) {
          failed.incrementAndGet();
          break;
        } catch (TunException | RuntimeException e) {
          long n = failed.incrementAndGet();
          if (Long.bitCount(n) == 1) { // log the 1st, 2nd, 4th, 8th... failure, not every one
            LOG.log(System.Logger.Level.WARNING, "TUN write failed (" + n + " so far): " + e.getMessage());
          }
        } finally {
          b.release();
        }
      }
    } finally {
      terminated = true;
      discardQueued();
    }
  }

  private void writeOne(ByteBuf b) throws TunException {
    int len = b.readableBytes();
    if (b.hasMemoryAddress()) {
      device.write(b.memoryAddress() + b.readerIndex(), len);
    } else if (b.nioBufferCount() == 1) {
      device.write(b.internalNioBuffer(b.readerIndex(), len));
    } else {
      device.write(b.nioBuffer()); // composite: one merged copy
    }
  }

  private void discardQueued() {
    synchronized (drainLock) { // one consumer at a time, as the MPSC queue requires
      ByteBuf b;
      while ((b = queue.poll()) != null) {
        b.release();
        dropped.increment();
      }
    }
  }

  /** Packets written to the device. */
  public long written() {
    return written.get();
  }

  /** Packets dropped because the queue was full or the writer was closed. */
  public long dropped() {
    return dropped.sum();
  }

  /** Packets the device refused (or that failed with an error). */
  public long failed() {
    return failed.get();
  }

  /** Packets waiting (approximate). */
  public int queued() {
    return queue.size();
  }

  public int capacity() {
    return capacity;
  }

  /**
   * Stops the writer: packets still queued are written first unless the device is closed; later
   * {@code write} calls drop. Does not close the device.
   */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(thread);
  }

  /** Waits for the writer thread to end after {@link #close()}; true if it did in time. */
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    thread.join(Math.max(1, unit.toMillis(timeout)));
    return !thread.isAlive();
  }
}
