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
  private volatile ServerKeys keys;
  private final SlotClock clock;
  private final ReplayFilter replayFilter;
  private final Fallback rejected;
  private final ServerStats stats = new ServerStats();
  private final io.tt.common.net.LoopListeners tunnelPorts = new io.tt.common.net.LoopListeners();
  private final UnauthenticatedLimiter unauthenticated;
  /** Null unless clustered. */
  private volatile io.tt.server.cluster.ClusterReplayCheck clusterReplay;
  private volatile java.util.function.IntSupplier clusterMembers = () -> 1;
  private final AtomicInteger instances = new AtomicInteger();
  private final java.util.List<TunnelListenerVerticle> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile TunStreamAcceptor tunStreams;

  public ServerContext(ServerConfig config, ServerKeys keys, SlotClock clock, ReplayFilter replayFilter,
                       Fallback rejected) {
    this.config = config;
    this.keys = keys;
    this.clock = clock;
    this.replayFilter = replayFilter;
    this.rejected = rejected;
    this.unauthenticated = new UnauthenticatedLimiter(config.maxUnauthenticated(), config.maxUnauthenticatedPerAddress());
  }

  public io.tt.server.cluster.ClusterReplayCheck clusterReplay() {
    return clusterReplay;
  }

  public void clustered(io.tt.server.cluster.ClusterReplayCheck check, java.util.function.IntSupplier members) {
    this.clusterReplay = check;
    this.clusterMembers = members;
  }

  public int clusterMembers() {
    return clusterMembers.getAsInt();
  }

  UnauthenticatedLimiter unauthenticated() {
    return unauthenticated;
  }

  public ServerConfig config() {
    return config;
  }

  /** The keys and schedules in force now; a new tunnel reads them once, at accept. */
  public ServerKeys keys() {
    return keys;
  }

  /** Puts new keys and schedules in force (a live config change); the caller then resyncs the ports. */
  public void keys(ServerKeys keys) {
    this.keys = keys;
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

  /** The tunnel ports' listening sockets, one per event loop. */
  io.tt.common.net.LoopListeners tunnelPorts() {
    return tunnelPorts;
  }

  void register(TunnelListenerVerticle l) {
    listeners.add(l);
  }

  void unregister(TunnelListenerVerticle l) {
    listeners.remove(l);
  }

  /** Every listener re-reads the clock and binds/unbinds its ports now. */
  public io.vertx.core.Future<Void> resyncPorts() {
    return io.vertx.core.Future.join(listeners.stream().map(TunnelListenerVerticle::resyncPorts).toList()).mapEmpty();
  }

  /** Ports bound now (the same set on every listener once they have all run). */
  public java.util.Set<Integer> boundPorts() {
    java.util.Set<Integer> all = new java.util.TreeSet<>();
    listeners.forEach(l -> all.addAll(l.boundPorts()));
    return all;
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
