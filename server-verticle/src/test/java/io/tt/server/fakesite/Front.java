package io.tt.server.fakesite;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;

import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the TT server's listener: it reads the first {@code firstBytes} bytes of each
 * connection (or stops at a deadline), then hands the socket and everything it read to a
 * {@link Fallback}, exactly as the real server does with a connection that fails authentication.
 */
final class Front implements AutoCloseable {

    static final int FIRST_BYTES = 51;

    final NetServer server;
    final int port;

    private Front(NetServer server) {
        this.server = server;
        this.port = server.actualPort();
    }

    static Front start(Vertx vertx, Fallback fallback) throws Exception {
        return start(vertx, fallback, FIRST_BYTES, 2000);
    }

    static Front start(Vertx vertx, Fallback fallback, int firstBytes, long deadlineMs) throws Exception {
        return start(vertx, fallback, firstBytes, deadlineMs, false);
    }

    /** {@code offLoop}: hand over from a plain thread instead of the socket's event loop. */
    static Front start(Vertx vertx, Fallback fallback, int firstBytes, long deadlineMs, boolean offLoop)
            throws Exception {
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
        server.connectHandler(so -> {
            long accepted = System.nanoTime();
            Buffer acc = Buffer.buffer();
            boolean[] handed = {false};
            long timer = vertx.setTimer(deadlineMs, id -> {
                if (!handed[0]) {
                    handed[0] = true;
                    so.pause();
                    fallback.takeOver(so, acc, accepted);
                }
            });
            so.handler(b -> {
                if (handed[0]) {
                    return;
                }
                acc.appendBuffer(b);
                if (acc.length() >= firstBytes) {
                    handed[0] = true;
                    vertx.cancelTimer(timer);
                    so.pause();
                    if (offLoop) {
                        new Thread(() -> fallback.takeOver(so, acc, accepted)).start();
                    } else {
                        fallback.takeOver(so, acc, accepted);
                    }
                }
            });
        });
        NetServer s = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new Front(s);
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("closing the test server", e);
        }
    }
}
