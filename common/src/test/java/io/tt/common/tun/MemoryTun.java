package io.tt.common.tun;

import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * For the TUN tests of every module: a TUN device in memory. Packets offered to {@link #toRead} are what the
 * device reads; its writes land in {@link #written}.
 */
public final class MemoryTun implements TunDevice {

  private static final byte[] WAKE = new byte[0];

  public final LinkedBlockingQueue<byte[]> toRead = new LinkedBlockingQueue<>();
  public final LinkedBlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
  /** Packets read so far (wake-ups not counted). */
  public final AtomicInteger reads = new AtomicInteger();
  /** While non-null and not counted down, writes block on it (to fill a TunWriter's queue). */
  public volatile CountDownLatch writeGate;
  private final String name;
  private final int mtu;
  private volatile boolean closed;

  public MemoryTun(int mtu) {
    this("mem0", mtu);
  }

  public MemoryTun(String name, int mtu) {
    this.name = name;
    this.mtu = mtu;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  private byte[] take() throws TunException {
    if (closed) {
      throw new TunClosedException(name);
    }
    byte[] p;
    try {
      p = toRead.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TunException("interrupted");
    }
    if (closed) {
      throw new TunClosedException(name);
    }
    if (p != WAKE) {
      reads.incrementAndGet();
    }
    return p;
  }

  @Override
  public int read(ByteBuffer dst) throws TunException {
    byte[] p = take();
    dst.put(p);
    return p.length;
  }

  @Override
  public int read(long address, int capacity) throws TunException {
    byte[] p = take();
    if (p.length > capacity) {
      throw new TunException("packet too large");
    }
    new Pointer(address).write(0, p, 0, p.length); // JNA: works without sun.misc.Unsafe (Java 25)
    return p.length;
  }

  @Override
  public void write(ByteBuffer packet) throws TunException {
    gate();
    byte[] b = new byte[packet.remaining()];
    packet.get(b);
    written.add(b);
  }

  @Override
  public void write(long address, int length) throws TunException {
    gate();
    byte[] b = new byte[length];
    new Pointer(address).read(0, b, 0, length);
    written.add(b);
  }

  private void gate() throws TunException {
    if (closed) {
      throw new TunClosedException(name);
    }
    CountDownLatch g = writeGate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void wakeup() {
    toRead.add(WAKE);
  }

  @Override
  public void close() {
    closed = true;
    toRead.add(WAKE);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }
}
