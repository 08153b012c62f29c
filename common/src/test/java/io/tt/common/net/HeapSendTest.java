package io.tt.common.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sends from heap arrays on real loopback sockets: the bytes arrive whole and in order mixed with the channel's own
 * writes, and a send that could overtake queued bytes is refused. Needs JDK 22+ (the build's JDK 17 skips it;
 * {@link HeapSendOnNewestJdkTest} runs it on the newest installed JDK).
 */
@Timeout(60)
class HeapSendTest {

  private EventLoopGroup group;
  private EventLoopGroup receiverGroup;
  private Channel server;
  private Channel client;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final AtomicReference<Channel> accepted = new AtomicReference<>();

  @BeforeEach
  void connect() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll not available: " + Epoll.unavailabilityCause());
    assumeTrue(HeapSend.AVAILABLE, "heap sends need JDK 22+ on Linux (this is " + Runtime.version()
        + "); HeapSendOnNewestJdkTest runs these on the newest installed JDK");
    group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    receiverGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()); // reads while the sender runs
    server = new ServerBootstrap().group(receiverGroup).channel(EpollServerSocketChannel.class)
        .childOption(ChannelOption.AUTO_READ, false) // the receiver starts reading when a test says so
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            accepted.set(ch);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                synchronized (received) {
                  received.writeBytes(bytes);
                }
                b.release();
                java.util.concurrent.locks.LockSupport.parkNanos(100_000); // a slow reader: the sender's socket fills
                ctx.read();
              }
            });
          }
        }).bind("127.0.0.1", 0).sync().channel();
    client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
        .option(ChannelOption.SO_SNDBUF, 32 * 1024)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(server.localAddress()).sync().channel();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (accepted.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertNotNull(accepted.get(), "the server accepted the connection");
  }

  @AfterEach
  void close() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      receiverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** Runs {@code task} on the client channel's event loop and waits for it. */
  private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    client.eventLoop().execute(() -> {
      try {
        f.complete(task.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    return f.get(30, TimeUnit.SECONDS);
  }

  private byte[] awaitReceived(int length) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      synchronized (received) {
        if (received.size() >= length) {
          return received.toByteArray();
        }
      }
      Thread.sleep(5);
    }
    synchronized (received) {
      return received.toByteArray();
    }
  }

  @Test
  void bytesArriveWholeAndInOrderWithTheChannelsOwnWrites() throws Exception {
    HeapSend send = HeapSend.of(client);
    assertNotNull(send, "an epoll socket gets a sender");
    Random rnd = new Random(11);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    // The receiver reads all along, on another thread, more slowly than one event-loop task writes: the socket
    // buffers fill, so sends go whole, in part and not at all, the rest queues in the channel, and the receiver
    // makes room while bytes still wait there, which later sends must not overtake.
    accepted.get().read();
    long[] counts = onLoop(() -> {
      long direct = 0;
      long partial = 0;
      long refused = 0;
      for (int i = 0; i < 400; i++) {
        byte[] chunk = new byte[1 + rnd.nextInt(24 * 1024)];
        rnd.nextBytes(chunk);
        expected.writeBytes(chunk);
        ByteBuf buf = Unpooled.wrappedBuffer(chunk);
        int n = send.send(buf);
        assertEquals(chunk.length - n, buf.readableBytes(), "what was sent is consumed");
        direct += n;
        if (n > 0 && buf.isReadable()) {
          partial++;
        }
        if (n == 0) {
          refused++;
        }
        if (buf.isReadable()) {
          client.writeAndFlush(buf);
        }
      }
      return new long[] {direct, partial, refused};
    });
    byte[] want = expected.toByteArray();
    assertArrayEquals(want, awaitReceived(want.length), "the receiver got every byte once, in order");
    assertTrue(counts[0] > 0, "some bytes went from the arrays");
    assertTrue(counts[1] + counts[2] > 0, "the socket filled: some sends went in part or not at all");
  }

  @Test
  void refusedWhileTheChannelHoldsBytesOffItsLoopAndForDirectBuffers() throws Exception {
    HeapSend send = HeapSend.of(client);
    ByteBuf heap = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    assertEquals(0, send.send(heap), "off the event loop");
    assertEquals(3, heap.readableBytes());
    int[] results = onLoop(() -> {
      client.write(Unpooled.wrappedBuffer(new byte[] {9, 9})); // written, not flushed: bytes are queued
      int whileQueued = send.send(heap);
      client.flush();
      ByteBuf direct = Unpooled.directBuffer(2).writeByte(7).writeByte(7);
      int fromDirect = send.send(direct);
      direct.release();
      int afterFlush = send.send(heap);
      return new int[] {whileQueued, fromDirect, afterFlush};
    });
    assertEquals(0, results[0], "queued bytes go first");
    assertEquals(0, results[1], "a direct buffer is the channel's to write");
    assertEquals(3, results[2], "sent once the queue is empty");
    accepted.get().read();
    assertArrayEquals(new byte[] {9, 9, 1, 2, 3}, awaitReceived(5));
  }

  @Test
  void closedChannelsAndOtherTransportsAreLeftToTheirOwnWrites() throws Exception {
    assertNull(HeapSend.of(new EmbeddedChannel()), "not an epoll socket");
    HeapSend send = HeapSend.of(client);
    client.close().sync();
    ByteBuf heap = Unpooled.wrappedBuffer(new byte[] {1});
    assertEquals(0, (int) onLoop(() -> send.send(heap)));
    assertEquals(1, heap.readableBytes());
  }

  @Test
  void theScratchBufferIsPerThreadEmptyAndBounded() throws Exception {
    assertNull(HeapSend.scratch(HeapSend.SCRATCH_SIZE + 1));
    ByteBuf s = HeapSend.scratch(100);
    s.writeInt(42);
    assertTrue(s.hasArray());
    assertEquals(0, HeapSend.scratch(100).readableBytes(), "handed out empty");
    CountDownLatch other = new CountDownLatch(1);
    AtomicReference<ByteBuf> elsewhere = new AtomicReference<>();
    new Thread(() -> {
      elsewhere.set(HeapSend.scratch(100));
      other.countDown();
    }).start();
    assertTrue(other.await(5, TimeUnit.SECONDS));
    assertTrue(elsewhere.get().array() != s.array(), "each thread has its own");
  }
}
