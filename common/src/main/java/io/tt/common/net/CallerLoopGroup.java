package io.tt.common.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The I/O event loops seen as Vert.x's acceptor group: {@link #next()} is the calling event loop when called from
 * one, so a listening socket bound from a verticle is registered on that verticle's own loop and the sockets it
 * accepts are handed to it without crossing threads.
 *
 * <p>Why: Vert.x accepts on a dedicated thread and hands every socket to an event loop, an eventfd write and a
 * wake-up per connection, and a third busy thread per process on a two-core machine (ss-libev accepts, reads and
 * connects on one thread). A view, not an owner: shutting it down does nothing, the I/O group is shut down by
 * Vert.x right after.
 */
final class CallerLoopGroup extends AbstractEventExecutorGroup implements EventLoopGroup {

  private final EventLoopGroup loops;

  CallerLoopGroup(EventLoopGroup loops) {
    this.loops = loops;
  }

  @Override
  public EventLoop next() {
    for (EventExecutor e : loops) {
      if (e.inEventLoop()) {
        return (EventLoop) e;
      }
    }
    return loops.next();
  }

  @Override
  public ChannelFuture register(Channel channel) {
    return next().register(channel);
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    return next().register(promise);
  }

  @Override
  @SuppressWarnings("deprecation")
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    return next().register(channel, promise);
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return loops.iterator();
  }

  @Override
  public boolean isShuttingDown() {
    return loops.isShuttingDown();
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    return ImmediateEventExecutor.INSTANCE.newSucceededFuture(null);
  }

  @Override
  public Future<?> terminationFuture() {
    return loops.terminationFuture();
  }

  @Override
  @Deprecated
  public void shutdown() {
    // A view: the I/O group is shut down by its owner.
  }

  @Override
  public boolean isShutdown() {
    return loops.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return loops.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return loops.awaitTermination(timeout, unit);
  }
}
