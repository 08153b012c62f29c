package io.tt.common.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TT's transport on real loopback sockets: no acceptor thread, bytes through, socket options as the kernel says. */
class TtTransportTest {

  private static final int CONNECTIONS = 20;

  private Vertx vertx;

  @BeforeEach
  void nativeTransport() {
    Transport t = Transport.nativeTransport();
    assumeTrue(t != null && t.available(), "no native transport here: " + (t == null ? "none" : t.unavailabilityCause()));
  }

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void socketsAreAcceptedOnTheListeningEventLoopAndCarryBytes() throws Exception {
    vertx = TtTransport.apply(Vertx.builder()).with(new VertxOptions().setEventLoopPoolSize(2)).build();
    assertTrue(vertx.isNativeTransportEnabled());
    echoThroughServer(vertx);
    assertEquals(List.of(), acceptorThreadsOnceSettled(), "no thread of its own accepts connections");
  }

  @Test
  void plainVertxUsesAnAcceptorThread() throws Exception {
    // The behaviour TtTransport removes: shows the test above can tell the difference.
    vertx = Vertx.builder().with(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(2)).build();
    echoThroughServer(vertx);
    assertFalse(acceptorThreads().isEmpty(), "Vert.x's own transport accepts on a thread of its own");
  }

  @Test
  void socketsKeepNoDelayAndKeepAliveButSkipNoOpOptions() throws Exception {
    vertx = TtTransport.apply(Vertx.builder()).build();
    CompletableFuture<Channel> accepted = new CompletableFuture<>();
    int port = vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setTcpKeepAlive(true))
        .connectHandler(so -> accepted.complete(((NetSocketInternal) so).channelHandlerContext().channel()))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    NetSocket client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setTcpKeepAlive(true))
        .connect(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Channel connected = ((NetSocketInternal) client).channelHandlerContext().channel();
    for (Channel ch : List.of(accepted.get(10, TimeUnit.SECONDS), connected)) {
      // Read back from the socket (getsockopt), not from Netty's option map.
      assertEquals(Boolean.TRUE, ch.config().getOption(ChannelOption.TCP_NODELAY), "TCP_NODELAY");
      assertEquals(Boolean.TRUE, ch.config().getOption(ChannelOption.SO_KEEPALIVE), "SO_KEEPALIVE");
      assertEquals(Boolean.FALSE, ch.config().getOption(EpollChannelOption.TCP_CORK), "TCP_CORK");
    }
  }

  /** Opens {@link #CONNECTIONS} connections to an echo server in a verticle, each echoing 100 kB. */
  private static void echoThroughServer(Vertx vertx) throws Exception {
    java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    Promise<Integer> listening = Promise.promise();
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createNetServer()
            .connectHandler(so -> {
              accepted.incrementAndGet();
              so.handler(so::write);
            })
            .listen(0, "127.0.0.1")
            .onSuccess(s -> listening.complete(s.actualPort()));
      }
    }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    int port = listening.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    byte[] payload = new byte[100_000];
    new java.util.Random(7).nextBytes(payload);
    for (int i = 0; i < CONNECTIONS; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        s.setSoTimeout(10_000);
        CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readN(s, payload.length));
        s.getOutputStream().write(payload);
        assertArrayEquals(payload, echoed.get(10, TimeUnit.SECONDS));
      }
    }
    assertEquals(CONNECTIONS, accepted.get());
  }

  private static byte[] readN(java.net.Socket s, int n) {
    try {
      return s.getInputStream().readNBytes(n);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The acceptor threads, waiting up to 2 s for those of a Vert.x closed by an earlier test to end. */
  private static List<String> acceptorThreadsOnceSettled() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    List<String> threads = acceptorThreads();
    while (!threads.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      threads = acceptorThreads();
    }
    return threads;
  }

  private static List<String> acceptorThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("vert.x-acceptor-thread")).toList();
  }
}
