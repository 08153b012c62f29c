package io.tt.client;

import io.tt.common.config.TunnelSettings;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.SessionKeys;

/** The client dials with the first key and the first method. */
public record ClientKeys(MasterKey key, AeadMethod method, PortSchedule schedule) {

  /** Stretches the password (Argon2id, ~0.3 s): call off the event loop. */
  public static ClientKeys derive(TunnelSettings t) {
    MasterKey mk = MasterKey.derive(t.keys().get(0).value());
    return new ClientKeys(mk, t.methods().get(0),
        new PortSchedule(SessionKeys.portScheduleKey(mk), t.portRange(), t.slotSeconds()));
  }
}
