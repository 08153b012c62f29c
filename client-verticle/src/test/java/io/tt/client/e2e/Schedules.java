package io.tt.client.e2e;

import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.SessionKeys;
import io.vertx.core.json.JsonObject;

/** The port schedule a harness's server and client follow, computed independently for assertions. */
final class Schedules {

  private Schedules() {
  }

  static PortSchedule of(JsonObject config) {
    return new PortSchedule(SessionKeys.portScheduleKey(MasterKey.derive(config.getString("key"))),
        PortRange.parse(config.getString("port-range")), config.getInteger("slot-seconds"));
  }
}
