package io.tt.server.fakesite;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.ConnectionBase;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code --fallback HOST:PORT}: every unauthenticated connection is spliced to a real web server,
 * the bytes the TT server already read first, so a prober talks to that server through us.
 *
 * <p>Both directions are piped with back-pressure (pause on a full write queue, resume on drain).
 * A half-close is passed on as a half-close, so a client that shuts down its sending side after a
 * request still gets the answer; when one side is gone entirely the other is closed once what was
 * queued for it has been written. If the upstream cannot be reached within the connect timeout the
 * client sees a server that accepted, said nothing and closed after {@link Options#unreachableHold}:
 * no instant reset, no answer that depends on what it sent (its bytes are read and dropped).
 *
 * <p>One shared {@link NetClient}; {@link #close()} releases it.
 */
public final class UpstreamFallback implements Fallback {

    /** Timeouts; durations are configurable for tests. */
    public static final class Options {
        Duration connectTimeout = Duration.ofSeconds(5);
        Duration unreachableHold = Duration.ofSeconds(60);
        Duration idleTimeout = Duration.ofMinutes(10);

        /** Upper bound on connecting to the upstream (default 5 s). */
        public Options connectTimeout(Duration d) {
            this.connectTimeout = positive(d);
            return this;
        }

        /**
         * How long a connection is held open, silently, when the upstream cannot be reached,
         * counted from the accept (default 60 s, nginx's client_header_timeout).
         */
        public Options unreachableHold(Duration d) {
            this.unreachableHold = positive(d);
            return this;
        }

        /** A spliced connection with no traffic either way for this long is closed (default 10 min). */
        public Options idleTimeout(Duration d) {
            this.idleTimeout = positive(d);
            return this;
        }

        private static Duration positive(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final NetClient client;
    private final long holdMs;

    public UpstreamFallback(Vertx vertx, String host, int port) {
        this(vertx, host, port, new Options());
    }

    public UpstreamFallback(Vertx vertx, String host, int port, Options options) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("fallback port out of range: " + port);
        }
        this.port = port;
        Objects.requireNonNull(options, "options");
        this.holdMs = options.unreachableHold.toMillis();
        NetClientOptions o = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeout.toMillis()))
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeout.toSeconds()))
                .setTcpNoDelay(true)
                .setReconnectAttempts(0);
        this.client = vertx.createNetClient(o);
    }

    /** Closes the shared NetClient (and the upstream connections it holds). */
    public Future<Void> close() {
        return client.close();
    }

    @Override
    public void takeOver(NetSocket socket, Buffer alreadyRead) {
        takeOver(socket, alreadyRead, System.nanoTime());
    }

    @Override
    public void takeOver(NetSocket socket, Buffer alreadyRead, long acceptedAtNanos) {
        if (socket == null) {
            return;
        }
        Buffer first = alreadyRead != null ? alreadyRead : Buffer.buffer();
        ConnLoop loop;
        try {
            socket.pause(); // nothing more reaches the caller's handler; resumed once we own it
            loop = ConnLoop.of(vertx, socket);
        } catch (RuntimeException e) {
            socket.close();
            return;
        }
        loop.execute(() -> new Splice(socket, loop, first, acceptedAtNanos).start());
    }

    /** One client connection spliced to one upstream connection. All state lives on {@code loop}. */
    private final class Splice {
        private final NetSocket down;
        private final ConnLoop loop;
        private final Buffer first;
        private final long startNanos;

        private NetSocket up;
        private ConnLoop upLoop;
        private boolean closed;
        private boolean downPaused;
        private boolean upPaused;
        /** The client has finished sending (FIN seen); passed on once its queued data is out. */
        private boolean downEof;
        private boolean downEofSent;
        private boolean upEof;
        private boolean upEofSent;
        private Future<Void> lastWriteUp;
        private Future<Void> lastWriteDown;
        private Object holdTimer;

        Splice(NetSocket down, ConnLoop loop, Buffer first, long startNanos) {
            this.down = down;
            this.startNanos = startNanos;
            this.loop = loop;
            this.first = first;
        }

        void start() {
            try {
                down.pause();
                downPaused = true;
                down.handler(b -> onLoop(() -> fromDown(b)));
                down.exceptionHandler(t -> { });
                down.endHandler(v -> onLoop(this::downGone));
                down.closeHandler(v -> onLoop(this::downGone));
                if (allowHalfClosure(down)) {
                    ((NetSocketInternal) down).eventHandler(evt -> {
                        if (evt instanceof ChannelInputShutdownEvent) {
                            onLoop(this::downFin);
                        }
                    });
                }
                Context ctx = down instanceof ConnectionBase ? ((ConnectionBase) down).context() : null;
                if (ctx != null) {
                    // connect from the client socket's context: both sockets on one event loop
                    ctx.runOnContext(v -> connect());
                } else {
                    connect();
                }
            } catch (Throwable t) {
                closeBoth();
            }
        }

        private void connect() {
            client.connect(port, host).onComplete(ar -> {
                if (ar.succeeded()) {
                    // handlers first, on the upstream's own thread, so nothing it does is missed
                    NetSocket s = ar.result();
                    s.exceptionHandler(t -> { });
                    s.handler(b -> onLoop(() -> fromUp(b)));
                    s.endHandler(v -> onLoop(this::upGone));
                    s.closeHandler(v -> onLoop(this::upGone));
                    if (allowHalfClosure(s)) {
                        ((NetSocketInternal) s).eventHandler(evt -> {
                            if (evt instanceof ChannelInputShutdownEvent) {
                                onLoop(this::upFin);
                            }
                        });
                    }
                    boolean gone = s instanceof NetSocketInternal
                            && !((NetSocketInternal) s).channelHandlerContext().channel().isActive();
                    onLoop(() -> connected(s, gone));
                } else {
                    onLoop(() -> {
                        if (!closed) {
                            unreachable();
                        }
                    });
                }
            });
        }

        private void connected(NetSocket s, boolean alreadyGone) {
            if (closed) {
                s.close();
                return;
            }
            up = s;
            upLoop = ConnLoop.of(vertx, s);
            if (first.length() > 0) {
                lastWriteUp = up.write(first);
            }
            if (alreadyGone) {
                upGone();
                return;
            }
            if (up.writeQueueFull()) {
                up.drainHandler(v -> onLoop(this::resumeDown));
            } else {
                resumeDown();
            }
        }

        private void onLoop(Runnable r) {
            loop.execute(() -> {
                try {
                    r.run();
                } catch (Throwable t) {
                    closeBoth();
                }
            });
        }

        private void fromDown(Buffer b) {
            if (closed || up == null || downEofSent) {
                return;
            }
            lastWriteUp = up.write(b);
            if (up.writeQueueFull()) {
                down.pause();
                downPaused = true;
                up.drainHandler(v -> onLoop(this::resumeDown));
            }
        }

        private void fromUp(Buffer b) {
            if (closed || upEofSent) {
                return;
            }
            lastWriteDown = down.write(b);
            if (down.writeQueueFull()) {
                up.pause();
                upPaused = true;
                down.drainHandler(v -> onLoop(this::resumeUp));
            }
        }

        private void resumeDown() {
            if (closed || !downPaused) {
                return;
            }
            downPaused = false;
            down.resume();
            if (downEof) {
                // Vert.x delivers what it queued while paused on the next loop turns: after that
                loop.post(this::maybeForwardDownFin);
            }
        }

        private void resumeUp() {
            if (closed || !upPaused) {
                return;
            }
            upPaused = false;
            up.resume();
            if (upEof) {
                loop.post(this::maybeForwardUpFin);
            }
        }

        /** The client half-closed: pass the FIN upstream once its data is through. */
        private void downFin() {
            downEof = true;
            if (up == null) {
                return; // still connecting; forwarded after the connect, or the hold covers it
            }
            loop.post(this::maybeForwardDownFin);
        }

        private void maybeForwardDownFin() {
            if (closed || downEofSent || downPaused || up == null) {
                return;
            }
            downEofSent = true;
            afterWrite(lastWriteUp, () -> {
                if (closed) {
                    return;
                }
                if (upLoop == null || !upLoop.shutdownOutput()) {
                    closeBoth();
                    return;
                }
                if (upEofSent) {
                    closeBoth();
                }
            });
        }

        private void upFin() {
            upEof = true;
            loop.post(this::maybeForwardUpFin);
        }

        private void maybeForwardUpFin() {
            if (closed || upEofSent || upPaused) {
                return;
            }
            upEofSent = true;
            afterWrite(lastWriteDown, () -> {
                if (closed) {
                    return;
                }
                if (!loop.shutdownOutput()) {
                    closeBoth();
                    return;
                }
                if (downEofSent) {
                    closeBoth();
                }
            });
        }

        /** The client connection is gone: nothing more can reach it. */
        private void downGone() {
            if (closed) {
                return;
            }
            closed = true;
            cancelHold();
            if (up != null) {
                NetSocket u = up;
                afterWrite(lastWriteUp, u::close);
            }
        }

        /** The upstream connection is gone: flush what it sent us, then close the client. */
        private void upGone() {
            if (closed) {
                return;
            }
            closed = true;
            afterWrite(lastWriteDown, down::close);
        }

        private void unreachable() {
            // read and drop what the client sends, close after the hold, whatever it sent
            down.handler(b -> { });
            downPaused = false;
            down.resume();
            long left = holdMs - (System.nanoTime() - startNanos) / 1_000_000L;
            holdTimer = loop.schedule(Math.max(0, left), this::closeBoth);
        }

        private void cancelHold() {
            if (holdTimer != null) {
                loop.cancel(holdTimer);
                holdTimer = null;
            }
        }

        private void closeBoth() {
            closed = true;
            cancelHold();
            down.close();
            if (up != null) {
                up.close();
            }
        }

        private void afterWrite(Future<Void> w, Runnable r) {
            if (w == null || w.isComplete()) {
                r.run();
            } else {
                w.onComplete(ar -> onLoop(r));
            }
        }
    }

    /** Lets a FIN arrive as an event instead of closing the channel; false if not possible. */
    private static boolean allowHalfClosure(NetSocket s) {
        if (!(s instanceof NetSocketInternal)) {
            return false;
        }
        try {
            Channel ch = ((NetSocketInternal) s).channelHandlerContext().channel();
            return ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
