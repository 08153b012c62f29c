package io.tt.common.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Spreads the connections of an address's listening sockets (one per event loop, {@link LoopListeners}) over the
 * loops by load rather than by the kernel's hash of the addresses. The kernel is told to queue every connection on
 * the group's first socket ({@link ReuseportSteering}); that socket's loop keeps a new connection unless it already
 * serves {@link #MARGIN} more open connections than the least loaded loop, which then gets it.
 *
 * <p>Why: with the hash, one connection after another lands on a loop at random, and each lands on a thread that
 * has been asleep, with cold caches, while the other just served the last. On two cores, keeping them on one loop
 * gave 0-7 % more sequential connections per second and 2-7 % less CPU per request (bench/README.md, item 19).
 * Connections that overlap still spread over all loops; a hand-over to another loop costs that loop a wake-up,
 * paid only when the first one is busy.
 *
 * <p>One balancer per Vert.x instance; its handlers sit on the listening channels, before Netty's acceptor.
 */
final class LoopBalancer {

  private static final Logger LOG = Logger.getLogger(LoopBalancer.class.getName());

  /** Open connections the first loop may have above the least loaded one before it hands new ones over. */
  static final int MARGIN = 2;

  /** Why the kernel last refused to steer a group to its first socket, or null (for diagnostics and tests). */
  static volatile String steeringRefused;

  private final Map<SocketAddress, List<Member>> groups = new ConcurrentHashMap<>();

  /** A handler for one listening channel of a group. */
  Member member() {
    return new Member();
  }

  /**
   * One listening socket of a group, and the connections its loop serves; it listens to their close futures
   * itself, so counting a connection allocates nothing.
   */
  final class Member extends ChannelDuplexHandler implements ChannelFutureListener {
    private final AtomicInteger open = new AtomicInteger();
    private volatile ChannelHandlerContext ctx;
    private List<Member> group;
    private SocketAddress address;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    /**
     * Joins the address's group as the bind succeeds, before the listen completes, so that no connection is queued
     * on the kernel's hash by a client as quick as a test.
     */
    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
      ChannelPromise bound = ctx.newPromise();
      bound.addListener(f -> {
        if (f.isSuccess()) {
          join(ctx.channel());
          promise.setSuccess();
        } else {
          promise.setFailure(f.cause());
        }
      });
      ctx.bind(localAddress, bound);
    }

    private void join(Channel listener) {
      SocketAddress address = listener.localAddress();
      this.address = address;
      boolean[] first = new boolean[1];
      group = groups.compute(address, (a, members) -> {
        List<Member> g = members == null ? new CopyOnWriteArrayList<>() : members;
        first[0] = g.isEmpty();
        g.add(this);
        return g;
      });
      if (first[0]) {
        String refused = ReuseportSteering.toFirstSocket(listener);
        if (refused != null) {
          steeringRefused = refused;
          LOG.log(Level.FINE, () -> "connections on " + address + " spread by the kernel's hash: " + refused);
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (group != null) {
        groups.computeIfPresent(address, (a, members) -> {
          members.remove(this);
          return members.isEmpty() ? null : members;
        });
      }
      ctx.fireChannelInactive();
    }

    /**
     * A connection accepted on this loop: kept, or handed to the least loaded loop of the group. The count moves
     * at once, on this thread, so a burst of connections accepted in one turn is spread and not all handed over.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      List<Member> g = group;
      if (!(msg instanceof Channel child) || g == null) {
        ctx.fireChannelRead(msg);
        return;
      }
      Member least = leastLoaded(g);
      Member target = open.get() - least.open.get() < MARGIN ? this : least;
      target.open.incrementAndGet();
      child.closeFuture().addListener(target);
      if (target == this) {
        ctx.fireChannelRead(child);
      } else {
        target.ctx.executor().execute(() -> target.adopt(child, this));
      }
    }

    /** On this loop: serves a connection handed over by {@code from}, or gives it back if this socket closed. */
    private void adopt(Channel child, Member from) {
      if (ctx.channel().isActive()) {
        ctx.fireChannelRead(child);
      } else if (from != this) {
        // This socket closed meanwhile (its port retired, or shutdown): the accepting loop serves it after all.
        from.ctx.executor().execute(() -> from.adopt(child, from));
      } else {
        child.unsafe().closeForcibly();
      }
    }

    /** A connection this loop served has closed. */
    @Override
    public void operationComplete(ChannelFuture closed) {
      open.decrementAndGet();
    }

    private Member leastLoaded(List<Member> g) {
      Member best = this;
      int least = open.get();
      for (int i = 0; i < g.size(); i++) { // no iterator per connection
        Member m = g.get(i);
        int n = m.open.get();
        if (n < least) {
          best = m;
          least = n;
        }
      }
      return best;
    }
  }
}
