package io.tt.common.tun;

import com.sun.jna.Pointer;

import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/** For the TUN tests of every module: a TUN device in memory: packets offered to {@link #toRead} are read by the server; its writes land in {@link #written}. */
public final class MemoryTun implements TunDevice {

  private static final byte[] WAKE = new byte[0];

  public final LinkedBlockingQueue<byte[]> toRead = new LinkedBlockingQueue<>();
  public final LinkedBlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
  private final int mtu;
  private volatile boolean closed;

  public MemoryTun(int mtu) {
    this.mtu = mtu;
  }

  @Override
  public String name() {
    return "mem0";
  }

  @Override
  public int mtu() {
    return mtu;
  }

  private byte[] take() throws TunException {
    if (closed) {
      throw new TunClosedException("mem0");
    }
    try {
      byte[] p = toRead.take();
      if (closed) {
        throw new TunClosedException("mem0");
      }
      return p;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TunException("interrupted");
    }
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
    new Pointer(address).write(0, p, 0, p.length);
    return p.length;
  }

  @Override
  public void write(ByteBuffer packet) throws TunException {
    byte[] b = new byte[packet.remaining()];
    packet.get(b);
    written.add(b);
  }

  @Override
  public void write(long address, int length) throws TunException {
    byte[] b = new byte[length];
    new Pointer(address).read(0, b, 0, length);
    written.add(b);
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
