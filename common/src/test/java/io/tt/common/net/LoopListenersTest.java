package io.tt.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real loopback sockets: a listening socket per event loop, and a port in use elsewhere still refused. */
class LoopListenersTest {

  private static final String HOST = "127.0.0.1";

  private Vertx vertx;

  @BeforeEach
  void start() {
    assumeTrue(System.getProperty("os.name", "").startsWith("Linux"), "a socket per event loop is Linux-only");
    Transport t = Transport.nativeTransport();
    assumeTrue(t != null && t.available(), "no native transport here: " + (t == null ? "none" : t.unavailabilityCause()));
    vertx = TtTransport.apply(Vertx.builder()).with(new VertxOptions().setEventLoopPoolSize(2)).build();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyEventLoopAcceptsOnItsOwnSocket() throws Exception {
    int port = freePort();
    Set<String> acceptedOn = ConcurrentHashMap.newKeySet();
    listenFromTwoLoops(new LoopListeners(), port, acceptedOn);
    assertEquals(2, listeningSockets(port), "listening sockets on the port (/proc/net/tcp*)");
    // The kernel spreads connections over the sockets by their addresses: 64 all on one socket is a 2^-63 chance.
    for (int i = 0; i < 64; i++) {
      try (Socket s = new Socket(HOST, port)) {
        s.setSoTimeout(5_000);
        assertEquals(i & 0xff, s.getInputStream().read(), "served");
      }
    }
    assertEquals(2, acceptedOn.size(), "connections accepted by both event loops: " + acceptedOn);
  }

  @Test
  void aPortHeldByAnotherProgramIsRefused() throws Exception {
    try (ServerSocket other = new ServerSocket()) {
      other.bind(new InetSocketAddress(HOST, 0));
      assertRefused(new LoopListeners(), other.getLocalPort());
    }
  }

  @Test
  void aPortHeldByAnotherTtIsRefusedThoughBothAskForReusePort() throws Exception {
    int port = freePort();
    listenFromTwoLoops(new LoopListeners(), port, ConcurrentHashMap.newKeySet());
    // Another TT process would have listeners of its own: it must not join the first one's sockets.
    assertRefused(new LoopListeners(), port);
  }

  @Test
  void aReleasedPortIsProbedAgainSoAnotherTtThatTookItMeanwhileIsNotJoined() throws Exception {
    int port = freePort();
    LoopListeners listeners = new LoopListeners();
    var server = listeners.listen(vertx, new NetServerOptions(), so -> so.end(), port, HOST)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    listeners.release(HOST, port);
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // Another TT takes the port while it is free (its sockets ask for SO_REUSEPORT too).
    listenFromTwoLoops(new LoopListeners(), port, ConcurrentHashMap.newKeySet());
    // Without the release, the first would skip its probe and silently join the other's sockets.
    assertRefused(listeners, port);
    listeners.release(HOST, port); // a second release of a released port changes nothing
    assertRefused(listeners, port);
  }

  @Test
  void aHostNameGetsOneSharedSocketNotABlockingProbe() throws Exception {
    int port = freePort();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return new LoopListeners().listen(vertx, new NetServerOptions(), so -> so.end(), port, "localhost");
      }
    }, new DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, listeningSockets(port), "one socket, shared by the loops as Vert.x does");
    try (Socket s = new Socket(HOST, port)) {
      s.setSoTimeout(5_000);
      assertEquals(-1, s.getInputStream().read(), "served and closed");
    }
  }

  private void listenFromTwoLoops(LoopListeners listeners, int port, Set<String> acceptedOn) throws Exception {
    java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return listeners.listen(vertx, new NetServerOptions(), so -> {
          acceptedOn.add(Thread.currentThread().getName());
          so.end(io.vertx.core.buffer.Buffer.buffer(new byte[] {(byte) served.getAndIncrement()}));
        }, port, HOST);
      }
    }, new DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private void assertRefused(LoopListeners listeners, int port) throws Exception {
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> listeners.listen(vertx, new NetServerOptions(), so -> so.end(), port, HOST)
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(BindException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("in use"), e.getCause().getMessage());
  }

  /** Sockets in LISTEN state on {@code port}, as the kernel lists them. */
  private static long listeningSockets(int port) throws java.io.IOException {
    java.nio.file.Path v4 = java.nio.file.Path.of("/proc/net/tcp");
    assumeTrue(java.nio.file.Files.exists(v4), "no /proc/net/tcp here");
    String hexPort = String.format(":%04X", port);
    long n = 0;
    for (String file : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      java.nio.file.Path p = java.nio.file.Path.of(file);
      if (!java.nio.file.Files.exists(p)) {
        continue;
      }
      for (String line : java.nio.file.Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
          n++;
        }
      }
    }
    return n;
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
