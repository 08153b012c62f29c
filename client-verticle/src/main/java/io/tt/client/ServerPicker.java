package io.tt.client;

import io.tt.common.config.ClientConfig.Balance;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Chooses the server address for each new tunnel. Every address of every configured name counts (several
 * servers behind one DNS name); an address that failed is skipped for a while, so one member going down costs
 * new tunnels at most one retry. Thread-safe: all listener instances share one picker.
 */
public final class ServerPicker {

  private static final Logger LOG = Logger.getLogger(ServerPicker.class.getName());
  /** How long a failed address is skipped. */
  static final long DOWN_MILLIS = 30_000;
  /** How often names are resolved again. */
  static final long REFRESH_MILLIS = 30_000;

  private final Vertx vertx;
  private final List<String> hosts;
  private final Balance balance;
  private final SlotClock clock;
  private final AtomicLong next = new AtomicLong();
  private final Map<InetAddress, Long> downUntil = new ConcurrentHashMap<>();
  private volatile List<InetAddress> addresses = List.of();
  private long refreshTimer = -1;

  public ServerPicker(Vertx vertx, List<String> hosts, Balance balance, SlotClock clock) {
    this.vertx = vertx;
    this.hosts = List.copyOf(hosts);
    this.balance = balance;
    this.clock = clock;
  }

  /** Resolves the names (off the event loop) and keeps them fresh. */
  public Future<Void> start() {
    return refresh().onSuccess(v -> refreshTimer = vertx.setPeriodic(REFRESH_MILLIS, t -> refresh()));
  }

  public void stop() {
    vertx.cancelTimer(refreshTimer);
  }

  private Future<Void> refresh() {
    return vertx.executeBlocking(() -> {
      Set<InetAddress> all = new LinkedHashSet<>();
      List<String> unresolved = new ArrayList<>();
      for (String h : hosts) {
        try {
          all.addAll(List.of(InetAddress.getAllByName(h)));
        } catch (UnknownHostException e) {
          unresolved.add(h);
        }
      }
      if (!unresolved.isEmpty()) {
        LOG.warning(() -> "cannot resolve server " + String.join(", ", unresolved));
      }
      if (all.isEmpty() && addresses.isEmpty()) {
        throw new UnknownHostException("cannot resolve server " + String.join(", ", hosts));
      }
      if (!all.isEmpty()) {
        addresses = List.copyOf(all);
      }
      return null;
    }, false);
  }

  /**
   * Addresses to try for the next tunnel, best first: the healthy ones in balance order, then the ones marked
   * down (so a tunnel is still attempted when every server looks down).
   */
  public List<InetAddress> candidates() {
    List<InetAddress> all = addresses;
    int n = all.size();
    if (n == 0) {
      return List.of();
    }
    int start = balance == Balance.BALANCE_RR ? (int) Math.floorMod(next.getAndIncrement(), n) : 0;
    long now = clock.millis();
    List<InetAddress> up = new ArrayList<>(n);
    List<InetAddress> down = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      InetAddress a = all.get((start + i) % n);
      Long until = downUntil.get(a);
      if (until != null && until > now) {
        down.add(a);
      } else {
        up.add(a);
      }
    }
    up.addAll(down);
    return up;
  }

  public void failed(InetAddress a) {
    downUntil.put(a, clock.millis() + DOWN_MILLIS);
    LOG.info(() -> "server " + a.getHostAddress() + " did not answer; skipping it for " + DOWN_MILLIS / 1000 + " s");
  }

  public void succeeded(InetAddress a) {
    downUntil.remove(a);
  }

  public List<InetAddress> addresses() {
    return addresses;
  }
}
