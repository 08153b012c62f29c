package io.tt.server.fleet;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * Where the fleet config lives: {@code {"version": N, "origin": member, "fleet": {...}}}. A cluster map when
 * clustered, memory otherwise.
 */
public interface FleetStore {

  /** The stored entry, or null if none yet. */
  Future<JsonObject> current();

  /** Stores the entry unless one is already there (a member that starts first seeds the fleet). */
  Future<JsonObject> seed(JsonObject entry);

  /** Stores the entry and tells every member. */
  Future<Void> publish(JsonObject entry);

  /** Called with each new entry (also when this member published it). */
  void onChange(Handler<JsonObject> handler);
}
