package io.tt.server.fleet;

import io.tt.common.config.Secret;
import io.tt.common.config.ServerConfig;
import io.tt.common.config.TunnelSettings;
import io.tt.common.crypto.AeadMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of a server's config the whole fleet shares and changes live: keys, methods, port range, slot length
 * and the key rotation overlap. Everything else (addresses, limits, TUN) stays per member.
 */
public record FleetConfig(List<Secret> keys, List<AeadMethod> methods, String portRange, int slotSeconds,
                          int keyRotationOverlapSeconds) {

  /** The config keys that belong to the fleet. */
  public static final List<String> KEYS = List.of("key", "methods", "port-range", "slot-seconds", "key-rotation-overlap");

  public static FleetConfig of(ServerConfig cfg) {
    TunnelSettings t = cfg.tunnel();
    return new FleetConfig(t.keys(), t.methods(), t.portRange().toString(), t.slotSeconds(),
        cfg.keyRotationOverlapSeconds());
  }

  /** Validated like any config; a bad fleet config from the map is refused with the same one-line errors. */
  public static FleetConfig fromJson(JsonObject fleet) {
    return of(ServerConfig.fromJson(fleet.copy()));
  }

  public JsonObject toJson() {
    JsonArray k = new JsonArray();
    keys.forEach(s -> k.add(s.value()));
    JsonArray m = new JsonArray();
    methods.forEach(x -> m.add(x.wireName()));
    return new JsonObject().put("key", k).put("methods", m).put("port-range", portRange)
        .put("slot-seconds", slotSeconds).put("key-rotation-overlap", keyRotationOverlapSeconds);
  }

  /** The names of the fields that differ (never their values: keys are secret). */
  public List<String> differences(FleetConfig o) {
    List<String> d = new ArrayList<>();
    if (!keys.equals(o.keys)) {
      d.add("key");
    }
    if (!methods.equals(o.methods)) {
      d.add("methods");
    }
    if (!portRange.equals(o.portRange)) {
      d.add("port-range");
    }
    if (slotSeconds != o.slotSeconds) {
      d.add("slot-seconds");
    }
    if (keyRotationOverlapSeconds != o.keyRotationOverlapSeconds) {
      d.add("key-rotation-overlap");
    }
    return d;
  }

  @Override
  public String toString() {
    return "FleetConfig[keys=" + keys.size() + ", methods=" + methods + ", port-range=" + portRange
        + ", slot-seconds=" + slotSeconds + ", key-rotation-overlap=" + keyRotationOverlapSeconds + "]";
  }
}
