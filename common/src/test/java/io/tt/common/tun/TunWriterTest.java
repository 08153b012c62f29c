package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class TunWriterTest {

  private static ByteBuf packet(int i) {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(28);
    b.writeBytes(Packets.udp4(new byte[] {10, 0, 0, 1}, i, new byte[] {10, 0, 0, 2}, 9, new byte[0]));
    return b;
  }

  @Test
  void writesInOrderAndReleases() throws Exception {
    MemoryTun dev = new MemoryTun("fake0", 1500);
    TunWriter w = TunWriter.start(dev, 64);
    List<ByteBuf> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      ByteBuf b = packet(i);
      sent.add(b);
      assertTrue(w.write(b));
    }
    ByteBuf heap = Unpooled.wrappedBuffer(Packets.udp4(new byte[] {1, 1, 1, 1}, 1, new byte[] {2, 2, 2, 2}, 2, new byte[3]));
    assertTrue(w.write(heap), "heap buffers work too (one copy)");
    for (int i = 0; i < 50; i++) {
      byte[] got = dev.written.poll(5, TimeUnit.SECONDS);
      assertNotNull(got);
      assertEquals(i, ((got[20] & 0xff) << 8) | (got[21] & 0xff), "in order");
    }
    assertEquals(31, dev.written.poll(5, TimeUnit.SECONDS).length);
    w.close();
    assertTrue(w.awaitTermination(5, TimeUnit.SECONDS));
    assertEquals(51, w.written()); // awaitTermination: the thread is done, counters are final
    assertEquals(0, w.dropped());
    for (ByteBuf b : sent) {
      assertEquals(0, b.refCnt(), "writer released every buffer");
    }
    assertEquals(0, heap.refCnt());
  }

  @Test
  void dropsAndCountsWhenQueueIsFull() throws Exception {
    MemoryTun dev = new MemoryTun("fake1", 1500);
    dev.writeGate = new CountDownLatch(1); // the device "hangs": the writer thread blocks in write()
    TunWriter w = TunWriter.start(dev, 8);
    assertTrue(w.write(packet(0)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (w.queued() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(5); // until the writer has taken packet 0 and is stuck in write()
    }
    int accepted = 0;
    List<ByteBuf> rejected = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      ByteBuf b = packet(i);
      if (w.write(b)) {
        accepted++;
      } else {
        rejected.add(b);
      }
    }
    assertEquals(w.capacity(), accepted, "the queue holds exactly its capacity");
    assertEquals(20 - w.capacity(), w.dropped());
    assertEquals(20 - w.capacity(), rejected.size());
    for (ByteBuf b : rejected) {
      assertEquals(0, b.refCnt(), "a dropped packet is released at once");
    }
    dev.writeGate.countDown();
    for (int i = 0; i <= accepted; i++) {
      assertNotNull(dev.written.poll(5, TimeUnit.SECONDS));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (w.written() < 1 + accepted && System.nanoTime() < until) {
      Thread.sleep(1); // the counter moves just after the device write returns
    }
    assertEquals(1 + accepted, w.written());
    w.close();
    assertTrue(w.awaitTermination(5, TimeUnit.SECONDS));
    ByteBuf late = packet(99);
    assertFalse(w.write(late), "closed writer drops");
    assertEquals(0, late.refCnt());
  }

  @Test
  void closedDeviceEndsWriterAndReleasesQueue() throws Exception {
    MemoryTun dev = new MemoryTun("fake2", 1500);
    dev.writeGate = new CountDownLatch(1);
    TunWriter w = TunWriter.start(dev, 16);
    List<ByteBuf> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ByteBuf b = packet(i);
      all.add(b);
      w.write(b);
    }
    dev.close();
    dev.writeGate.countDown();
    assertTrue(w.awaitTermination(5, TimeUnit.SECONDS), "writer thread ends when the device is closed");
    for (ByteBuf b : all) {
      assertEquals(0, b.refCnt());
    }
    assertEquals(10, w.written() + w.dropped() + w.failed());
  }
}
