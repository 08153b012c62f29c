package io.tt.server.fakesite;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DuplexChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The thread a connection's logic runs on, with timers on the same thread.
 *
 * <p>For a socket from a Vert.x NetServer/NetClient (always a {@link NetSocketInternal}) this is the
 * channel's Netty event loop, which is also where Vert.x delivers that socket's handlers; so data,
 * timers and callbacks never race, whichever thread the caller handed the socket over from.
 * Otherwise it falls back to the caller's Vert.x context and Vert.x timers.
 */
abstract class ConnLoop {

    /** Runs {@code r} on the loop: at once when already on it, else queued. */
    abstract void execute(Runnable r);

    /** Queues {@code r} behind whatever the loop already has queued, even when called on it. */
    abstract void post(Runnable r);

    /** Schedules {@code r} after {@code delayMs}; returns a handle for {@link #cancel}. */
    abstract Object schedule(long delayMs, Runnable r);

    abstract void cancel(Object handle);

    /**
     * Half-closes the socket's output (sends FIN, keeps reading) where the transport allows;
     * returns false when it cannot, in which case the caller should close instead.
     */
    abstract boolean shutdownOutput();

    /** Runs {@code r}; nothing it throws escapes (connection code closes its socket itself). */
    static void safely(Runnable r) {
        try {
            r.run();
        } catch (Throwable ignored) {
            // by contract nothing escapes into Netty or Vert.x
        }
    }

    static ConnLoop of(Vertx vertx, NetSocket socket) {
        if (socket instanceof NetSocketInternal) {
            Channel ch = ((NetSocketInternal) socket).channelHandlerContext().channel();
            return new NettyLoop(ch);
        }
        Context ctx = Vertx.currentContext();
        return new VertxLoop(vertx, ctx != null ? ctx : vertx.getOrCreateContext());
    }

    private static final class NettyLoop extends ConnLoop {
        private final Channel channel;
        private final EventLoop loop;

        NettyLoop(Channel channel) {
            this.channel = channel;
            this.loop = channel.eventLoop();
        }

        @Override
        void execute(Runnable r) {
            if (loop.inEventLoop()) {
                safely(r);
            } else {
                loop.execute(() -> safely(r));
            }
        }

        @Override
        void post(Runnable r) {
            loop.execute(() -> safely(r));
        }

        @Override
        Object schedule(long delayMs, Runnable r) {
            return loop.schedule(() -> safely(r), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        }

        @Override
        void cancel(Object handle) {
            if (handle instanceof ScheduledFuture) {
                ((ScheduledFuture<?>) handle).cancel(false);
            }
        }

        @Override
        boolean shutdownOutput() {
            if (channel instanceof DuplexChannel && channel.isActive()) {
                ((DuplexChannel) channel).shutdownOutput();
                return true;
            }
            return false;
        }
    }

    private static final class VertxLoop extends ConnLoop {
        private final Vertx vertx;
        private final Context context;

        VertxLoop(Vertx vertx, Context context) {
            this.vertx = vertx;
            this.context = context;
        }

        @Override
        void execute(Runnable r) {
            if (Vertx.currentContext() == context) {
                safely(r);
            } else {
                context.runOnContext(v -> safely(r));
            }
        }

        @Override
        void post(Runnable r) {
            context.runOnContext(v -> safely(r));
        }

        @Override
        Object schedule(long delayMs, Runnable r) {
            return vertx.setTimer(Math.max(1, delayMs), id -> safely(r));
        }

        @Override
        void cancel(Object handle) {
            if (handle instanceof Long) {
                vertx.cancelTimer((Long) handle);
            }
        }

        @Override
        boolean shutdownOutput() {
            return false;
        }
    }
}
