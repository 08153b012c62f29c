package io.tt.common.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** TunReader against an in-memory device: delivery, ownership, back-pressure, end. */
@Timeout(20)
class TunReaderTest {
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static byte[] pkt(int i) {
    return Packets.udp4(new byte[] {10, 0, 0, 2}, i, new byte[] {10, 0, 0, 1}, 9, new byte[] {(byte) i});
  }

  private static void await(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  @Test
  void deliversOnTheContextWithoutCopyAndReleasesOnClose() throws Exception {
    MemoryTun dev = new MemoryTun("fake0", 1500);
    Context ctx = vertx.getOrCreateContext();
    List<ByteBuf> got = new CopyOnWriteArrayList<>();
    AtomicBoolean wrongThread = new AtomicBoolean();
    CountDownLatch ended = new CountDownLatch(1);
    TunReader r = TunReader.create(dev, ctx);
    r.handler(b -> {
      if (Vertx.currentContext() != ctx || !Context.isOnEventLoopThread()) {
        wrongThread.set(true);
      }
      got.add(b);
    }).endHandler(v -> ended.countDown()).start();
    for (int i = 0; i < 100; i++) {
      dev.toRead.add(pkt(i));
    }
    await(() -> got.size() == 100, "100 packets");
    assertTrue(!wrongThread.get(), "handler runs on the given event-loop context");
    for (int i = 0; i < 100; i++) {
      ByteBuf b = got.get(i);
      assertTrue(b.isDirect(), "direct pooled buffer");
      assertEquals(29, b.readableBytes());
      assertEquals(i, b.getByte(28));
      assertEquals(1, b.refCnt(), "the handler owns it");
      b.release();
    }
    assertEquals(100, r.packetsRead());
    r.close().await(5, TimeUnit.SECONDS);
    assertTrue(ended.await(5, TimeUnit.SECONDS), "end handler ran");
  }

  @Test
  void pauseStopsReadingAndResumeRestarts() throws Exception {
    MemoryTun dev = new MemoryTun("fake1", 1500);
    Context ctx = vertx.getOrCreateContext();
    AtomicInteger delivered = new AtomicInteger();
    TunReader r = TunReader.create(dev, ctx, io.netty.buffer.PooledByteBufAllocator.DEFAULT, 1500, 4);
    r.handler(b -> {
      delivered.incrementAndGet();
      b.release();
    });
    r.pause();
    r.start();
    for (int i = 0; i < 20; i++) {
      dev.toRead.add(pkt(i));
    }
    Thread.sleep(300);
    assertEquals(0, delivered.get(), "nothing delivered while paused");
    assertTrue(dev.reads.get() <= 1, "reader stopped reading while paused (reads: " + dev.reads.get() + ")");

    r.fetch(3);
    await(() -> delivered.get() == 3, "3 fetched");
    Thread.sleep(200);
    assertEquals(3, delivered.get(), "fetch(3) delivers exactly 3");
    assertTrue(dev.reads.get() <= 4, "at most one read past demand (reads: " + dev.reads.get() + ")");

    r.resume();
    await(() -> delivered.get() == 20, "all 20 after resume");
    r.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void slowConsumerBoundsTheQueue() throws Exception {
    MemoryTun dev = new MemoryTun("fake2", 1500);
    Context ctx = vertx.getOrCreateContext();
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger delivered = new AtomicInteger();
    TunReader r = TunReader.create(dev, ctx, io.netty.buffer.PooledByteBufAllocator.DEFAULT, 1500, 8);
    r.handler(b -> {
      b.release();
      if (delivered.incrementAndGet() == 1) {
        try {
          release.await(); // a stuck event loop (test only!)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }).start();
    for (int i = 0; i < 100; i++) {
      dev.toRead.add(pkt(i));
    }
    Thread.sleep(300);
    assertTrue(dev.reads.get() <= 1 + 8 + 1, "reader stops when maxQueued are undelivered (reads: " + dev.reads.get() + ")");
    release.countDown();
    await(() -> delivered.get() == 100, "all delivered once the consumer moves");
    r.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void deviceCloseEndsTheStreamAndQueuedPacketsAreReleased() throws Exception {
    MemoryTun dev = new MemoryTun("fake3", 1500);
    Context ctx = vertx.getOrCreateContext();
    CountDownLatch ended = new CountDownLatch(1);
    List<ByteBuf> held = new CopyOnWriteArrayList<>();
    TunReader r = TunReader.create(dev, ctx);
    r.handler(held::add).endHandler(v -> ended.countDown()).start();
    dev.toRead.add(pkt(1));
    await(() -> held.size() == 1, "first packet");
    r.pause();
    dev.toRead.add(pkt(2)); // the thread was already blocked in read: it reads this one and keeps it
    await(() -> dev.reads.get() == 2, "the read that was in progress at pause()");
    Thread.sleep(100);
    assertEquals(1, held.size(), "paused: the second packet is held, not delivered");
    dev.close();
    assertTrue(ended.await(5, TimeUnit.SECONDS), "stream ended after device close");
    assertEquals(1, held.size(), "the held packet was released, not delivered, at the end");
    held.get(0).release();
    r.endFuture().await(1, TimeUnit.SECONDS);
    assertTrue(r.endFuture().succeeded());
  }
}
