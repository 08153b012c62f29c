package io.tt.server;

import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Vert.x 5 facts PortJumper relies on, checked on the real thing: close() ends a server's connections;
 * shutdown(timeout) unbinds at once, tells each connection through its shutdownHandler, and closes it when the
 * timeout ends — unless the connection's event handler swallows the shutdown event, as TT's tunnels do.
 */
@Timeout(30)
class VertxShutdownSemanticsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private NetServer echoServer(CompletableFuture<NetSocket> accepted, boolean swallowShutdown) throws Exception {
    return vertx.createNetServer().connectHandler(so -> {
      if (swallowShutdown) {
        ((NetSocketInternal) so).eventHandler(ReferenceCountUtil::release);
      }
      so.handler(so::write);
      accepted.complete(so);
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String echo(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    byte[] b = new byte[text.length()];
    InputStream in = s.getInputStream();
    int n = 0;
    while (n < b.length) {
      int r = in.read(b, n, b.length - n);
      if (r < 0) {
        return null;
      }
      n += r;
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** The port refuses connections within a second (the unbind completes on the acceptor thread). */
  private static void assertNotListening(int port) throws InterruptedException {
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (ConnectException refused) {
        return;
      } catch (java.net.SocketException reset) {
        // Queued on the listener as it closed: the kernel resets it. The port is going; the next probe is refused.
        if (!String.valueOf(reset.getMessage()).contains("reset")) {
          throw new AssertionError(reset);
        }
      } catch (java.io.IOException other) {
        throw new AssertionError(other);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("port " + port + " still accepts connections");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void closeEndsTheConnections() throws Exception {
    CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
    NetServer server = echoServer(accepted, false);
    int port = server.actualPort();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      assertEquals("ping", echo(s, "ping"));
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertNotListening(port);
      assertEquals(-1, s.getInputStream().read(), "close() ended the established connection");
    }
  }

  @Test
  void shutdownUnbindsAtOnceAndClosesConnectionsWhenTheTimeoutEnds() throws Exception {
    CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
    NetServer server = echoServer(accepted, false);
    int port = server.actualPort();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      assertEquals("ping", echo(s, "ping"));
      AtomicBoolean told = new AtomicBoolean();
      accepted.get().shutdownHandler(v -> told.set(true));
      server.shutdown(2, TimeUnit.SECONDS);
      Thread.sleep(300);
      assertNotListening(port);
      assertTrue(told.get(), "the connection's shutdownHandler was called");
      assertEquals("still", echo(s, "still"), "alive during the grace period");
      long t0 = System.nanoTime();
      assertEquals(-1, s.getInputStream().read(), "closed when the timeout ended");
      assertTrue(System.nanoTime() - t0 > 1_000_000_000L);
    }
  }

  /**
   * What PortJumper does: a grace period far longer than any tunnel, and tunnels that swallow the shutdown event
   * (so each does not start a close timer of its own). The port is gone at once; the tunnel keeps working.
   */
  @Test
  void longGraceAndSwallowedEventKeepTheTunnel() throws Exception {
    CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
    NetServer server = echoServer(accepted, true);
    int port = server.actualPort();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      assertEquals("ping", echo(s, "ping"));
      AtomicBoolean told = new AtomicBoolean();
      accepted.get().shutdownHandler(v -> told.set(true));
      server.shutdown(PortJumper.KEEP_CONNECTIONS_DAYS, TimeUnit.DAYS);
      Thread.sleep(300);
      assertNotListening(port);
      Thread.sleep(1500);
      assertEquals("later", echo(s, "later"), "the tunnel keeps running after its port is gone");
      assertTrue(!told.get(), "the connection never started closing");
    }
  }

  /** And the swallowed event alone is not enough: the server's own grace timeout still closes everything. */
  @Test
  void theServersGraceTimeoutClosesEvenSwallowingConnections() throws Exception {
    CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
    NetServer server = echoServer(accepted, true);
    try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
      s.setSoTimeout(5000);
      assertEquals("ping", echo(s, "ping"));
      server.shutdown(1, TimeUnit.SECONDS);
      assertEquals(-1, s.getInputStream().read());
    }
  }
}
