package io.tt.common.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads IP packets from a {@link TunDevice} on a dedicated thread and delivers them, as a Vert.x
 * {@link ReadStream}, on one {@link Context} (an event loop).
 *
 * <h2>Threading</h2>
 * The blocking read runs on one dedicated daemon thread ("tt-tun-reader-NAME"), not in Vert.x's
 * worker pool: the loop blocks for as long as the device lives, which in a pool would pin one
 * worker thread forever, trip Vert.x's blocked-thread checker, and starve other blocking work;
 * per-packet {@code executeBlocking} would cost a task hand-off per packet. A dedicated thread is
 * what a worker verticle looping forever amounts to, without those costs. The thread is a Netty
 * {@link FastThreadLocalThread} so the pooled allocator gives it a thread-local cache.
 *
 * <h2>Buffers and ownership</h2>
 * Each packet is read straight into a direct buffer from the allocator (by default {@link
 * PooledByteBufAllocator#DEFAULT}) and that same buffer is handed to the handler: no copy. The
 * handler receives ownership: it must {@code release()} the buffer exactly once, or pass it to
 * something that does (a Netty write, {@link TunWriter#write}). Packets still queued when the
 * stream ends are released here. Buffers have capacity {@link TunDevice#mtu()} (or the size given).
 *
 * <h2>Back-pressure</h2>
 * {@link #pause()} stops delivery at once and stops the thread reading: at most one packet the
 * thread was already waiting for is read after the pause, and it is kept, not delivered, until
 * {@link #resume()}/{@link #fetch}. The thread reads ahead only what was asked for ({@code
 * fetch(n)} lets it read n packets, plus the one read in progress) and never more than {@code
 * maxQueued} undelivered packets; then it stops reading until the context catches up. While it does not
 * read, the kernel queues packets on the interface (txqueuelen) and then drops them, which is the
 * right behaviour for IP.
 *
 * <h2>End</h2>
 * The stream ends when {@link #close()} is called, the device is closed, or reads keep failing
 * ({@value #MAX_CONSECUTIVE_ERRORS} in a row); the exception handler sees a fatal error, the end
 * handler runs once, on the context. Individual read errors go to the exception handler and reading
 * continues.
 */
public final class TunReader implements ReadStream<ByteBuf> {
  private static final System.Logger LOG = System.getLogger(TunReader.class.getName());
  public static final int DEFAULT_MAX_QUEUED = 256;
  static final int MAX_CONSECUTIVE_ERRORS = 16;
  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final TunDevice device;
  private final Context context;
  private final ByteBufAllocator allocator;
  private final int bufferSize;
  private final int maxQueued;
  private final Queue<ByteBuf> queue; // reader thread -> context
  private final Thread thread;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong demand = new AtomicLong(Long.MAX_VALUE);
  private final Handler<Void> drainTask = v -> drain();
  private final Promise<Void> ended = Promise.promise();
  private final AtomicBoolean started = new AtomicBoolean();

  private volatile boolean stopping;
  private volatile boolean readerWaiting;
  private boolean finished; // context thread only

  private volatile Handler<ByteBuf> handler;
  private volatile Handler<Throwable> exceptionHandler;
  private volatile Handler<Void> endHandler;

  private final AtomicLong packets = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  private TunReader(TunDevice device, Context context, ByteBufAllocator allocator, int bufferSize, int maxQueued) {
    this.device = Objects.requireNonNull(device, "device");
    this.context = Objects.requireNonNull(context, "context");
    this.allocator = Objects.requireNonNull(allocator, "allocator");
    if (bufferSize < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("bufferSize and maxQueued must be positive");
    }
    this.bufferSize = bufferSize;
    this.maxQueued = maxQueued;
    this.queue = PlatformDependent.newFixedMpscQueue(maxQueued);
    this.thread = new FastThreadLocalThread(this::run, "tt-tun-reader-" + device.name());
    thread.setDaemon(true);
  }

  /** A reader delivering on {@code context}, pooled direct buffers of the device MTU. Call {@link #start()}. */
  public static TunReader create(TunDevice device, Context context) {
    return new TunReader(device, context, PooledByteBufAllocator.DEFAULT, device.mtu(), DEFAULT_MAX_QUEUED);
  }

  public static TunReader create(TunDevice device, Context context, ByteBufAllocator allocator, int bufferSize,
      int maxQueued) {
    return new TunReader(device, context, allocator, bufferSize, maxQueued);
  }

  /** Starts the reading thread. Set the handler first. */
  public TunReader start() {
    if (handler == null) {
      throw new IllegalStateException("set a handler before start()");
    }
    if (started.compareAndSet(false, true)) {
      thread.start();
    }
    return this;
  }

  /**
   * Stops reading and ends the stream: the thread is woken (the device stays open), undelivered
   * packets are released, the end handler runs. The future completes on the context once the thread
   * has finished.
   */
  public Future<Void> close() {
    stopping = true;
    if (started.compareAndSet(false, true)) { // never started: end right away
      context.runOnContext(v -> finish(null));
    } else {
      device.wakeup();
      LockSupport.unpark(thread);
    }
    return ended.future();
  }

  // ---- reader thread ----

  private void run() {
    Throwable fatal = null;
    int consecutiveErrors = 0;
    try {
      while (!stopping && !device.isClosed()) {
        if (mustWait()) {
          awaitRoom();
          continue;
        }
        ByteBuf buf = allocator.directBuffer(bufferSize, bufferSize);
        int n;
        try {
          n = readInto(buf);
        } catch (TunClosedException e) {
          buf.release();
          break;
        } catch (TunTruncatedPacketException e) {
          buf.release(); // one lost packet (MTU raised behind our back?); not a device failure
          errors.incrementAndGet();
          report(e);
          continue;
        } catch (TunException e) {
          buf.release();
          errors.incrementAndGet();
          if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS || device.isClosed()) {
            fatal = e;
            break;
          }
          report(e);
          continue;
        } catch (RuntimeException | Error e) {
          buf.release();
          fatal = e;
          break;
        }
        if (n <= 0) { // woken without a packet
          buf.release();
          continue;
        }
        consecutiveErrors = 0;
        buf.writerIndex(n);
        packets.incrementAndGet();
        bytes.addAndGet(n);
        queue.offer(buf); // cannot fail: only this thread adds, and it checked the size
        if (drainScheduled.compareAndSet(false, true)) {
          context.runOnContext(drainTask);
        }
      }
    } finally {
      Throwable f = fatal;
      context.runOnContext(v -> finish(f));
    }
  }

  private int readInto(ByteBuf buf) throws TunException {
    if (buf.hasMemoryAddress()) {
      return device.read(buf.memoryAddress() + buf.writerIndex(), buf.writableBytes());
    }
    return device.read(buf.internalNioBuffer(buf.writerIndex(), buf.writableBytes()));
  }

  /**
   * The thread reads only what has been asked for: it waits while the packets already queued cover
   * the outstanding demand (0 when paused) or fill the queue.
   */
  private boolean mustWait() {
    int queued = queue.size();
    return queued >= maxQueued || demand.get() <= queued;
  }

  private void awaitRoom() {
    readerWaiting = true;
    try {
      while (!stopping && mustWait()) {
        if (device.isClosed()) {
          return; // noticed within PARK_NANOS even while paused
        }
        LockSupport.parkNanos(this, PARK_NANOS);
      }
    } finally {
      readerWaiting = false;
    }
  }

  private void report(Throwable t) {
    context.runOnContext(v -> {
      Handler<Throwable> h = exceptionHandler;
      if (h != null && !finished) {
        h.handle(t);
      }
    });
  }

  // ---- context thread ----

  private void drain() {
    for (;;) {
      ByteBuf b;
      while (!finished && demand.get() > 0 && (b = queue.poll()) != null) {
        demand.getAndUpdate(d -> d == Long.MAX_VALUE || d <= 0 ? d : d - 1);
        Handler<ByteBuf> h = handler;
        if (h == null) {
          b.release();
          continue;
        }
        try {
          h.handle(b); // ownership passes to the handler
        } catch (Throwable t) {
          Handler<Throwable> eh = exceptionHandler != null ? exceptionHandler : context.exceptionHandler();
          if (eh != null) {
            eh.handle(t);
          } else {
            LOG.log(System.Logger.Level.WARNING, "TUN packet handler failed", t);
          }
        }
      }
      if (readerWaiting) {
        LockSupport.unpark(thread);
      }
      drainScheduled.set(false);
      if (finished || queue.isEmpty() || demand.get() == 0) {
        return;
      }
      if (!drainScheduled.compareAndSet(false, true)) {
        return; // the reader scheduled another drain
      }
    }
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      context.runOnContext(drainTask);
    }
  }

  private void finish(Throwable fatal) {
    if (finished) {
      return;
    }
    if (!stopping) {
      drain(); // the device ended on its own: deliver what demand allows
    }
    finished = true;
    ByteBuf b;
    while ((b = queue.poll()) != null) {
      b.release();
    }
    if (fatal != null) {
      Handler<Throwable> eh = exceptionHandler;
      if (eh != null) {
        eh.handle(fatal);
      }
    }
    Handler<Void> end = endHandler;
    if (end != null) {
      end.handle(null);
    }
    ended.tryComplete();
  }

  // ---- ReadStream ----

  /** The packet handler; it owns (must release) every buffer it gets. */
  @Override
  public TunReader handler(Handler<ByteBuf> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public TunReader exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public TunReader endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    return this;
  }

  @Override
  public TunReader pause() {
    demand.set(0);
    return this;
  }

  @Override
  public TunReader resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public TunReader fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch amount must be >= 0, got " + amount);
    }
    demand.getAndUpdate(d -> {
      long sum = d + amount;
      return sum < 0 ? Long.MAX_VALUE : sum;
    });
    scheduleDrain();
    if (readerWaiting) {
      LockSupport.unpark(thread);
    }
    return this;
  }

  // ---- stats ----

  public boolean isPaused() {
    return demand.get() == 0;
  }

  /** Packets read from the device (delivered or queued). */
  public long packetsRead() {
    return packets.get();
  }

  public long bytesRead() {
    return bytes.get();
  }

  /** Read errors seen (each also reported to the exception handler). */
  public long readErrors() {
    return errors.get();
  }

  /** Completes when the stream has ended (after {@link #close()} or when the device closed). */
  public Future<Void> endFuture() {
    return ended.future();
  }
}
