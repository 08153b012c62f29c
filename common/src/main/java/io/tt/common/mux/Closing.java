package io.tt.common.mux;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.concurrent.TimeUnit;

/**
 * How the mux closes sockets. Vert.x's own close queues behind the socket's pending writes, so it never happens
 * when the peer stops reading: a graceful close here waits for the last write at most {@link #GRACE_SECONDS},
 * and a hard close drops what is still queued. Both close below Vert.x's handler (its close handler still runs).
 */
final class Closing {

  /** How long a graceful close waits for queued bytes to go out. */
  static final long GRACE_SECONDS = 30;

  private Closing() {
  }

  /** Closes {@code socket} once {@code lastWrite} is done, or hard after the grace period. */
  static void afterWrites(NetSocketInternal socket, Future<Void> lastWrite) {
    if (lastWrite.isComplete()) {
      socket.close();
      return;
    }
    ChannelHandlerContext ctx = socket.channelHandlerContext();
    var deadline = ctx.executor().schedule(() -> {
      ctx.close();
    }, GRACE_SECONDS, TimeUnit.SECONDS);
    lastWrite.onComplete(v -> {
      deadline.cancel(false);
      socket.close();
    });
  }

  /** Closes {@code socket} now, dropping anything queued for it. */
  static void hard(NetSocketInternal socket) {
    // The context is Vert.x's handler's: closing from it skips that handler, which would wait for the queue.
    socket.channelHandlerContext().close();
  }
}
