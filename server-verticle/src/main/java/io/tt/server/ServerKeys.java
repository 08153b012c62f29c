package io.tt.server;

import io.tt.common.config.Secret;
import io.tt.common.config.TunnelSettings;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.AcceptedKey;
import io.tt.common.wire.SessionKeys;

import java.util.ArrayList;
import java.util.List;

/**
 * The server's derived keys: every (key, method) pair it accepts, and one port schedule per key (during a key
 * rotation the ports of the old and the new key are both open), plus the timestamp window that goes with the
 * slot length. Immutable: a config change builds a new one and swaps it in.
 */
public record ServerKeys(List<AcceptedKey> accepted, List<PortSchedule> schedules, long windowMillis) {

  /** Stretches every password (Argon2id, ~0.3 s each, cached per password): call off the event loop. */
  public static ServerKeys derive(TunnelSettings t) {
    return derive(t.keys(), t.methods(), t.portRange(), t.slotSeconds(), t.windowSeconds());
  }

  public static ServerKeys derive(List<Secret> keys, List<AeadMethod> methods, PortRange range, int slotSeconds,
                                  int windowSeconds) {
    List<AcceptedKey> accepted = new ArrayList<>();
    List<PortSchedule> schedules = new ArrayList<>();
    for (Secret s : keys) {
      MasterKey mk = MasterKey.derive(s.value());
      for (AeadMethod m : methods) {
        accepted.add(new AcceptedKey(mk, m));
      }
      schedules.add(new PortSchedule(SessionKeys.portScheduleKey(mk), range, slotSeconds));
    }
    return new ServerKeys(List.copyOf(accepted), List.copyOf(schedules), windowSeconds * 1000L);
  }
}
