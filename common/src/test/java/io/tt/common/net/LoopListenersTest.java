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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real loopback sockets: a listening socket per event loop, connections one after another kept on one loop and
 * overlapping ones shared, and a port in use elsewhere still refused.
 */
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
  void everyEventLoopListensOnItsOwnSocketAndTheKernelHashSpreadsThem() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    System.setProperty("tt.balance", "hash");
    try {
      vertx = TtTransport.apply(Vertx.builder()).with(new VertxOptions().setEventLoopPoolSize(2)).build();
    } finally {
      System.clearProperty("tt.balance");
    }
    int port = freePort();
    Map<String, AtomicInteger> acceptedOn = new ConcurrentHashMap<>();
    listenFromTwoLoops(new LoopListeners(), port, acceptedOn, true);
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
  void connectionsOneAfterAnotherStayOnOneEventLoop() throws Exception {
    int port = freePort();
    Map<String, AtomicInteger> acceptedOn = new ConcurrentHashMap<>();
    listenFromTwoLoops(new LoopListeners(), port, acceptedOn, true);
    assumeTrue(LoopBalancer.steeringRefused == null, "this kernel refuses SO_ATTACH_REUSEPORT_CBPF: "
        + LoopBalancer.steeringRefused);
    assertEquals(2, listeningSockets(port), "a listening socket per event loop (/proc/net/tcp*)");
    // With the kernel's hash, 64 connections on one loop would be a 2^-63 chance.
    for (int i = 0; i < 64; i++) {
      try (Socket s = new Socket(HOST, port)) {
        s.setSoTimeout(5_000);
        assertEquals(i & 0xff, s.getInputStream().read(), "served");
        assertEquals(-1, s.getInputStream().read(), "closed by the server");
      }
    }
    assertEquals(1, acceptedOn.size(), "64 connections one after another, served by one event loop: " + acceptedOn);
    assertEquals(64, acceptedOn.values().iterator().next().get());
  }

  @Test
  void overlappingConnectionsAreSharedByTheEventLoops() throws Exception {
    int port = freePort();
    Map<String, AtomicInteger> acceptedOn = new ConcurrentHashMap<>();
    listenFromTwoLoops(new LoopListeners(), port, acceptedOn, false);
    int n = 40;
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        Socket s = new Socket(HOST, port);
        s.setSoTimeout(5_000);
        open.add(s);
      }
      for (Socket s : open) {
        s.getOutputStream().write(7);
        assertEquals(7, s.getInputStream().read(), "echoed, whichever loop serves it");
      }
      // The first loop hands a connection over once it serves LoopBalancer.MARGIN more than the other.
      assertEquals(2, acceptedOn.size(), "both event loops serve the 40 open connections: " + acceptedOn);
      for (AtomicInteger k : acceptedOn.values()) {
        assertTrue(Math.abs(k.get() - n / 2) <= LoopBalancer.MARGIN, "within the margin of an even share: " + acceptedOn);
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
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
    listenFromTwoLoops(new LoopListeners(), port, new ConcurrentHashMap<>(), true);
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
    listenFromTwoLoops(new LoopListeners(), port, new ConcurrentHashMap<>(), true);
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

  /**
   * Listens from two event-loop verticles; counts the connections each loop's thread serves. {@code numbered}: each
   * connection gets its number as one byte and is closed; else it echoes what it reads until the peer closes.
   */
  private void listenFromTwoLoops(LoopListeners listeners, int port, Map<String, AtomicInteger> acceptedOn,
                                  boolean numbered) throws Exception {
    AtomicInteger served = new AtomicInteger();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return listeners.listen(vertx, new NetServerOptions(), so -> {
          acceptedOn.computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger()).incrementAndGet();
          if (numbered) {
            so.end(io.vertx.core.buffer.Buffer.buffer(new byte[] {(byte) served.getAndIncrement()}));
          } else {
            so.handler(so::write);
          }
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
