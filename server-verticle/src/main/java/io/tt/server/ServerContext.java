package io.tt.server;

import io.tt.common.config.ServerConfig;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.ReplayFilter;
import io.tt.server.fakesite.Fallback;
import io.tt.server.tun.TunStreamAcceptor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every listener instance of one server shares: config, keys, clock, replay filter, where rejected
 * connections go, and counters.
 */
public final class ServerContext {

  private final ServerConfig config;
  private final ServerKeys keys;
  private final SlotClock clock;
  private final ReplayFilter replayFilter;
  private final Fallback rejected;
  private final ServerStats stats = new ServerStats();
  private final AtomicInteger instances = new AtomicInteger();
  private volatile TunStreamAcceptor tunStreams;

  public ServerContext(ServerConfig config, ServerKeys keys, SlotClock clock, ReplayFilter replayFilter,
                       Fallback rejected) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
    this.replayFilter = replayFilter;
    this.rejected = rejected;
  }

  public ServerConfig config() {
    return config;
  }

  public ServerKeys keys() {
    return keys;
  }

  public SlotClock clock() {
    return clock;
  }

  public ReplayFilter replayFilter() {
    return replayFilter;
  }

  /** Hands a connection that did not authenticate, with the bytes read from it, to the fake site. */
  public Fallback rejected() {
    return rejected;
  }

  public ServerStats stats() {
    return stats;
  }

  /** Where authenticated TUN_STREAM connections go; null unless TUN mode is running. */
  public TunStreamAcceptor tunStreams() {
    return tunStreams;
  }

  public void tunStreams(TunStreamAcceptor acceptor) {
    this.tunStreams = acceptor;
  }

  /** 0 for the first listener instance, which alone logs the port schedule. */
  int nextInstanceIndex() {
    return instances.getAndIncrement();
  }
}
