package io.tt.common.tun;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A TUN device backed by one non-blocking file descriptor, shared by Linux and macOS.
 *
 * <p>Blocking and close: the fd is non-blocking; {@code read} tries the fd first and, on EAGAIN,
 * poll()s it together with the read end of a self-pipe. {@link #wakeup()} and {@link #close()}
 * write a byte into the pipe, so a blocked reader returns at once. Closing the fd from another
 * thread would not do that on Linux: a thread blocked in read(2) holds its own reference to the
 * file and keeps sleeping. The fds are closed only after every in-flight call has left (a
 * read-write lock: calls hold the read side, close takes the write side), so an fd number is never
 * used after it could have been reused by an unrelated open().
 */
abstract class FdTun implements TunDevice {
  /** A writer waiting for POLLOUT re-checks {@link #closed} this often. */
  private static final int WRITE_POLL_MILLIS = 100;
  private static final int SCRATCH = 65536 + 4;

  protected final int fd;
  private final String name;
  private final int mtu;
  private final int wakeReadFd;
  private final int wakeWriteFd;

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  private final Object readMutex = new Object();
  private final Object writeMutex = new Object();
  private final Memory readPoll = new Memory(16); // two struct pollfd {int fd; short events, revents}
  private final Memory writePoll = new Memory(8);
  private final Memory wakeByte = new Memory(1);
  private final Memory drain = new Memory(64);
  private Memory readScratch; // heap ByteBuffers only; guarded by readMutex
  private Memory writeScratch; // guarded by writeMutex

  /** Takes ownership of {@code fd} (already non-blocking); closes it if this constructor fails. */
  protected FdTun(int fd, String name, int mtu) throws TunException {
    int[] pipe = new int[2];
    if (Posix.Setup.C.pipe(pipe) != 0) {
      int err = Posix.lastError();
      Posix.closeQuietly(fd);
      throw new TunException("cannot create the wake-up pipe for TUN device " + name + ": " + Posix.describe(err));
    }
    int err = Posix.makeNonBlockingCloexec(pipe[0]);
    if (err == 0) {
      err = Posix.makeNonBlockingCloexec(pipe[1]);
    }
    if (err != 0) {
      Posix.closeQuietly(pipe[0]);
      Posix.closeQuietly(pipe[1]);
      Posix.closeQuietly(fd);
      throw new TunException("cannot set up the wake-up pipe for TUN device " + name + ": " + Posix.describe(err));
    }
    this.fd = fd;
    this.name = name;
    this.mtu = mtu;
    this.wakeReadFd = pipe[0];
    this.wakeWriteFd = pipe[1];
    readPoll.setInt(0, fd);
    readPoll.setShort(4, Posix.POLLIN);
    readPoll.setInt(8, wakeReadFd);
    readPoll.setShort(12, Posix.POLLIN);
    writePoll.setInt(0, fd);
    writePoll.setShort(4, Posix.POLLOUT);
    wakeByte.setByte(0, (byte) 1);
  }

  /**
   * One read(2)/readv(2) of a packet into native memory, stripping any platform header.
   *
   * @return the IP packet length, or -1 with errno left in {@link Posix#lastError()}
   */
  protected abstract long nativeRead(long address, int capacity) throws TunException;

  /** One write(2)/writev(2) of an IP packet, adding any platform header; same convention. */
  protected abstract long nativeWrite(long address, int length);

  /** Platform-specific wording for a failed read, or null for the generic one. */
  protected String explainReadError(int errno, int capacity) {
    return null;
  }

  /** Platform-specific wording for a failed write, or null for the generic one. */
  protected String explainWriteError(int errno, int length) {
    return null;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final int mtu() {
    return mtu;
  }

  @Override
  public final boolean isClosed() {
    return closed;
  }

  @Override
  public final int read(long address, int capacity) throws TunException {
    if (capacity <= 0) {
      throw new IllegalArgumentException("read capacity must be positive, got " + capacity);
    }
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      synchronized (readMutex) {
        for (;;) {
          if (closed) {
            throw new TunClosedException(name);
          }
          long n = nativeRead(address, capacity);
          if (n >= 0) {
            if (n == capacity) {
              checkNotTruncated(address, (int) n);
            }
            return (int) n;
          }
          int err = Posix.lastError();
          if (err == Posix.EAGAIN) {
            if (!awaitReadable()) {
              if (closed) {
                throw new TunClosedException(name);
              }
              return 0; // wakeup()
            }
          } else if (err != Posix.EINTR) {
            if (closed) {
              throw new TunClosedException(name);
            }
            String why = explainReadError(err, capacity);
            throw new TunException("reading from TUN device " + name + " failed: "
                + (why != null ? why : Posix.describe(err)));
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Linux (IFF_NO_PI) silently truncates a packet that does not fit and returns the buffer size, so
   * a full buffer is checked against the length the IP header claims.
   */
  private void checkNotTruncated(long address, int n) throws TunException {
    if (n < 6) {
      return;
    }
    int version = (NativeMem.getByte(address) & 0xf0) >>> 4;
    int claimed;
    if (version == 4) {
      claimed = ((NativeMem.getByte(address + 2) & 0xff) << 8) | (NativeMem.getByte(address + 3) & 0xff);
    } else if (version == 6) {
      claimed = 40 + (((NativeMem.getByte(address + 4) & 0xff) << 8) | (NativeMem.getByte(address + 5) & 0xff));
    } else {
      return;
    }
    if (claimed > n) {
      throw new TunTruncatedPacketException("a " + claimed + "-byte packet from TUN device " + name
          + " did not fit in the " + n + "-byte read buffer and was dropped; read with at least the device MTU ("
          + mtu + ")");
    }
  }

  /** Blocks in poll(); true when the device may be readable, false when woken through the pipe. */
  private boolean awaitReadable() throws TunException {
    long fds = Pointer.nativeValue(readPoll); // events are set once; the kernel rewrites every revents
    int r = Posix.Hot.poll(fds, 2, -1);
    if (r < 0) {
      int err = Posix.lastError();
      if (err == Posix.EINTR) {
        return true;
      }
      throw new TunException("poll on TUN device " + name + " failed: " + Posix.describe(err));
    }
    if (readPoll.getShort(14) != 0) {
      long d = Pointer.nativeValue(drain);
      while (Posix.Hot.read(wakeReadFd, d, 64) > 0) {
        // empty the pipe; it is non-blocking
      }
      return false;
    }
    return true;
  }

  @Override
  public final int read(ByteBuffer dst) throws TunException {
    if (dst.isReadOnly()) {
      throw new ReadOnlyBufferException();
    }
    int pos = dst.position();
    int cap = dst.remaining();
    if (dst.isDirect()) {
      int n = read(NativeMem.address(dst) + pos, cap);
      dst.position(pos + n);
      return n;
    }
    synchronized (readMutex) { // the scratch area is per direction
      if (readScratch == null) {
        readScratch = new Memory(SCRATCH);
      }
      int n = read(Pointer.nativeValue(readScratch), Math.min(cap, SCRATCH));
      readScratch.read(0, dst.array(), dst.arrayOffset() + pos, n);
      dst.position(pos + n);
      return n;
    }
  }

  @Override
  public final void write(long address, int length) throws TunException {
    if (length <= 0) {
      throw new IllegalArgumentException("packet length must be positive, got " + length);
    }
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      synchronized (writeMutex) {
        for (;;) {
          if (closed) {
            throw new TunClosedException(name);
          }
          long n = nativeWrite(address, length);
          if (n >= 0) {
            if (n != length) {
              throw new TunException("short write to TUN device " + name + ": " + n + " of " + length + " bytes");
            }
            return;
          }
          int err = Posix.lastError();
          if (err == Posix.EAGAIN) {
            Posix.Hot.poll(Pointer.nativeValue(writePoll), 1, WRITE_POLL_MILLIS);
          } else if (err != Posix.EINTR) {
            if (closed) {
              throw new TunClosedException(name);
            }
            String why = explainWriteError(err, length);
            throw new TunException("writing a " + length + "-byte packet to TUN device " + name + " failed: "
                + (why != null ? why : Posix.describe(err)));
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public final void write(ByteBuffer packet) throws TunException {
    int pos = packet.position();
    int len = packet.remaining();
    if (packet.isDirect()) {
      write(NativeMem.address(packet) + pos, len);
    } else {
      if (len > SCRATCH) {
        throw new TunException("packet of " + len + " bytes is larger than any IP packet");
      }
      synchronized (writeMutex) {
        if (writeScratch == null) {
          writeScratch = new Memory(SCRATCH);
        }
        if (packet.hasArray()) {
          writeScratch.write(0, packet.array(), packet.arrayOffset() + pos, len);
        } else {
          byte[] copy = new byte[len];
          packet.duplicate().get(copy);
          writeScratch.write(0, copy, 0, len);
        }
        write(Pointer.nativeValue(writeScratch), len);
      }
    }
    packet.position(pos + len);
  }

  @Override
  public final void wakeup() {
    Lock lock = lifecycle.readLock();
    if (!lock.tryLock()) {
      return; // close() is in progress and wakes the reader itself
    }
    try {
      if (!closed) {
        Posix.Hot.write(wakeWriteFd, Pointer.nativeValue(wakeByte), 1); // EAGAIN (pipe full) is fine
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public final void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    Posix.Hot.write(wakeWriteFd, Pointer.nativeValue(wakeByte), 1); // kick a reader out of poll()
    Lock lock = lifecycle.writeLock();
    lock.lock(); // waits for in-flight read/write calls, which notice `closed` promptly
    try {
      Posix.closeQuietly(fd);
      Posix.closeQuietly(wakeReadFd);
      Posix.closeQuietly(wakeWriteFd);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + name + ", mtu " + mtu + (closed ? ", closed" : "") + "]";
  }
}
