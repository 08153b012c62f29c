package io.tt.common.wire;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;

/**
 * Flushes datagram channels once per batch instead of once per datagram: the TUN reader hands over the packets it
 * has in one event-loop task, every datagram of that task is written without a flush, and one task queued behind
 * it flushes each channel used (with epoll, several datagrams then go out in one sendmmsg). Event loop only.
 */
public final class UdpFlusher {

  private final EventLoop loop;
  private final List<Channel> pending = new ArrayList<>(4);
  private final Runnable flushTask = this::flushAll;
  private boolean scheduled;

  public UdpFlusher(EventLoop loop) {
    this.loop = loop;
  }

  /** Notes that {@code ch} has unflushed writes. */
  public void needsFlush(Channel ch) {
    if (!pending.contains(ch)) {
      pending.add(ch);
    }
    if (!scheduled) {
      scheduled = true;
      loop.execute(flushTask);
    }
  }

  private void flushAll() {
    scheduled = false;
    for (int i = 0; i < pending.size(); i++) {
      pending.get(i).flush();
    }
    pending.clear();
  }
}
