package io.tt.common.tun;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory TunDevice: packets to be "read" are offered to {@link #incoming}; writes land in {@link #written}. */
final class FakeTunDevice implements TunDevice {
  private static final byte[] WAKE = new byte[0];

  final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
  final AtomicInteger reads = new AtomicInteger();
  /** While non-null and not counted down, write() blocks on it (to fill a TunWriter's queue). */
  volatile CountDownLatch writeGate;
  private final String name;
  private final int mtu;
  private volatile boolean closed;

  FakeTunDevice(String name, int mtu) {
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
      p = incoming.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TunException("interrupted");
    }
    if (p == WAKE) {
      if (closed) {
        throw new TunClosedException(name);
      }
      return p;
    }
    reads.incrementAndGet();
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
    incoming.add(WAKE);
  }

  @Override
  public void close() {
    closed = true;
    incoming.add(WAKE);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }
}
