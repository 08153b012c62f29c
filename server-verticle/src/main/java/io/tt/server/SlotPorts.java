package io.tt.server;

import io.tt.common.schedule.PortSchedule;
import io.tt.common.schedule.SlotClock;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Keeps exactly the ports of the schedule bound: at every slot boundary binds the ports that open and unbinds those
 * whose lifetime ended. A port that cannot be bound (busy: the default range overlaps the kernel's ephemeral ports,
 * so it may be the source port of some connection) is tried again every {@link #BIND_RETRY_MILLIS}, not only at the
 * next slot. The TCP tunnel listeners ({@link PortJumper}) and TUN's UDP sockets differ only in what binding and
 * unbinding a port is. Confined to one context: every call and every timer runs on it.
 *
 * @param <B> what a bound port is held by (a NetServer, a channel)
 */
public abstract class SlotPorts<B> {

  /** How soon a port that could not be bound is tried again. */
  public static final long BIND_RETRY_MILLIS = 2000;

  private final ContextInternal context;
  private final Supplier<List<PortSchedule>> schedules;
  private final SlotClock clock;
  private final Map<Integer, B> bound = new HashMap<>();
  /** Ports whose bind has not finished: neither bound nor to be bound again meanwhile. */
  private final Set<Integer> binding = new HashSet<>();
  private TreeMap<Integer, Long> wanted = new TreeMap<>();
  private long timerId = -1;
  private long retryTimerId = -1;
  private boolean stopped;

  /** @param schedules read at every update, so a live config change applies at the next slot or resync */
  protected SlotPorts(ContextInternal context, Supplier<List<PortSchedule>> schedules, SlotClock clock) {
    this.context = context;
    this.schedules = schedules;
    this.clock = clock;
  }

  /** Binds one port. */
  protected abstract Future<B> bind(int port);

  /** Unbinds one port (what was accepted on it is not this class's business). */
  protected abstract void unbind(int port, B handle);

  /** A bind failed; it is tried again in {@link #BIND_RETRY_MILLIS}. */
  protected abstract void bindFailed(int port, Throwable cause);

  /** After every update: the slot now, its schedule, the ports wanted, when the next slot starts. */
  protected void updated(long slot, PortSchedule schedule, TreeMap<Integer, Long> want, long nextSlotMillis) {
  }

  /** Binds the ports of the current slot; completes when every bind attempt has finished. */
  public Future<Void> start() {
    return update();
  }

  /** Re-reads the clock and the schedules now (the clock moved, or the config changed) instead of at the boundary. */
  public Future<Void> resync() {
    context.owner().cancelTimer(timerId);
    return update();
  }

  /** Ports bound right now. */
  public Set<Integer> boundPorts() {
    return Set.copyOf(bound.keySet());
  }

  /** Stops updating; returns what is still bound, for the caller to release as it sees fit. */
  protected Map<Integer, B> stopUpdating() {
    stopped = true;
    context.owner().cancelTimer(timerId);
    context.owner().cancelTimer(retryTimerId);
    Map<Integer, B> left = Map.copyOf(bound);
    bound.clear();
    return left;
  }

  private Future<Void> update() {
    if (stopped) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    List<PortSchedule> all = schedules.get();
    PortSchedule first = all.get(0);
    long slot = first.slotAt(now);
    TreeMap<Integer, Long> want = PortSchedule.openPorts(all, slot);
    wanted = want;
    for (Integer port : new ArrayList<>(bound.keySet())) {
      if (!want.containsKey(port)) {
        unbind(port, bound.remove(port));
      }
    }
    List<Future<Void>> binds = new ArrayList<>();
    for (Integer port : want.keySet()) {
      if (!bound.containsKey(port) && !binding.contains(port)) {
        binds.add(bindOne(port));
      }
    }
    long next = first.slotStartMillis(slot + 1);
    updated(slot, first, want, next);
    timerId = context.setTimer(Math.max(1, next - now + 5), t -> update());
    return Future.join(binds).mapEmpty();
  }

  private Future<Void> bindOne(int port) {
    binding.add(port);
    return bind(port).<Void>map(handle -> {
      binding.remove(port);
      if (stopped || !wanted.containsKey(port)) {
        unbind(port, handle); // stopped, or the slot moved on while the bind was under way
      } else {
        bound.put(port, handle);
      }
      return null;
    }).recover(err -> {
      binding.remove(port);
      bindFailed(port, err);
      if (retryTimerId < 0 && !stopped) {
        retryTimerId = context.setTimer(BIND_RETRY_MILLIS, t -> {
          retryTimerId = -1;
          resync();
        });
      }
      return Future.succeededFuture();
    });
  }
}
