package io.tt.client.e2e;

import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The web server tests pull through the tunnel, on its own Vert.x: {@code GET /bytes/N} answers N deterministic
 * bytes (a 1 MiB random block repeated) with keep-alive, {@code GET /paced/N} the same at 4 MiB/s,
 * {@code GET /hello} a short text. Counts requests and
 * connections so tests can tell keep-alive from new connections.
 */
public final class TestOrigin implements AutoCloseable {

  static final int BLOCK = 1 << 20;
  private static final byte[] DATA = new byte[BLOCK];

  static {
    new Random(42).nextBytes(DATA);
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  public final AtomicInteger requests = new AtomicInteger();
  public final AtomicInteger connections = new AtomicInteger();

  public TestOrigin(String host) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(0))
        .connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> {
          requests.incrementAndGet();
          String path = req.path();
          if (path.startsWith("/bytes/")) {
            long n = Long.parseLong(path.substring("/bytes/".length()));
            HttpServerResponse resp = req.response().putHeader("Content-Length", Long.toString(n))
                .putHeader("Content-Type", "application/octet-stream");
            send(resp, n);
          } else if (path.startsWith("/paced/")) {
            long n = Long.parseLong(path.substring("/paced/".length()));
            HttpServerResponse resp = req.response().putHeader("Content-Length", Long.toString(n))
                .putHeader("Content-Type", "application/octet-stream");
            sendPaced(resp, 0, n);
          } else if (path.equals("/hello")) {
            req.response().end("hello from " + req.authority() + "\n");
          } else {
            req.response().setStatusCode(404).end();
          }
        })
        .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static void send(HttpServerResponse resp, long remaining) {
    while (remaining > 0 && !resp.writeQueueFull()) {
      int n = (int) Math.min(BLOCK, remaining);
      resp.write(BufferInternal.buffer(Unpooled.wrappedBuffer(DATA, 0, n)));
      remaining -= n;
    }
    if (remaining == 0) {
      resp.end();
      return;
    }
    long left = remaining;
    resp.drainHandler(v -> send(resp, left));
  }

  /** {@code /paced/N}: the same bytes as {@code /bytes/N}, 64 KiB every 16 ms (4 MiB/s), however fast the reader. */
  private void sendPaced(HttpServerResponse resp, long sent, long n) {
    int chunk = (int) Math.min(PACED_CHUNK, n - sent);
    int offset = (int) (sent % BLOCK); // BLOCK is a multiple of PACED_CHUNK: a chunk never wraps
    resp.write(BufferInternal.buffer(Unpooled.wrappedBuffer(DATA, offset, chunk)));
    if (sent + chunk >= n) {
      resp.end();
      return;
    }
    vertx.setTimer(16, t -> sendPaced(resp, sent + chunk, n));
  }

  private static final int PACED_CHUNK = 64 * 1024;

  public int port() {
    return server.actualPort();
  }

  /** sha256 (hex) of what {@code /bytes/n} serves. */
  public static String sha256Of(long n) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (long left = n; left > 0; left -= BLOCK) {
      md.update(DATA, 0, (int) Math.min(BLOCK, left));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  public static Buffer prefix(int n) {
    return Buffer.buffer(java.util.Arrays.copyOf(DATA, n));
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
