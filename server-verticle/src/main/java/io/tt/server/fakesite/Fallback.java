package io.tt.server.fakesite;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * What a TT server port does with a connection that did not authenticate: it hands the socket over,
 * with the bytes it already read, to something that looks like an ordinary web server.
 *
 * <p>Contract for the caller: call on the socket's event loop (from its handler, say), after the
 * fixed-size first read. From then on the fallback owns the socket: it replaces the data, end,
 * close, exception and drain handlers, resumes the socket if it was paused, and closes it when done.
 * The caller must not read, write or close it afterwards. Implementations never throw.
 */
public interface Fallback {

    /**
     * Takes the connection over; {@code alreadyRead} is treated as the first bytes received on it.
     */
    void takeOver(NetSocket socket, Buffer alreadyRead);

    /**
     * As {@link #takeOver(NetSocket, Buffer)}, for a connection accepted at {@code acceptedAtNanos}
     * ({@link System#nanoTime()} when the server accepted it), so timeouts that a real server counts
     * from the accept (nginx's client_header_timeout) include the time the caller already spent.
     */
    default void takeOver(NetSocket socket, Buffer alreadyRead, long acceptedAtNanos) {
        takeOver(socket, alreadyRead);
    }
}
