package io.tt.server.fleet;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

/**
 * The fleet config in a cluster-wide map, with a publish on the clustered event bus when it changes. Members also
 * re-read the map every few seconds, so one that missed a message (joining, a partition healing) catches up.
 */
public final class ClusterFleetStore implements FleetStore {

  static final String MAP = "tt.fleet";
  static final String ENTRY = "config";
  static final String ADDRESS = "tt.fleet.changed";
  static final long POLL_MILLIS = 5000;

  private final Vertx vertx;
  private final Future<AsyncMap<String, JsonObject>> map;
  private long poll = -1;

  public ClusterFleetStore(Vertx vertx) {
    this.vertx = vertx;
    this.map = vertx.sharedData().getClusterWideMap(MAP);
  }

  @Override
  public Future<JsonObject> current() {
    return map.compose(m -> m.get(ENTRY));
  }

  @Override
  public Future<JsonObject> seed(JsonObject entry) {
    return map.compose(m -> m.putIfAbsent(ENTRY, entry)).map(previous -> previous == null ? entry : previous);
  }

  @Override
  public Future<Void> publish(JsonObject entry) {
    return map.compose(m -> m.put(ENTRY, entry)).onSuccess(v -> vertx.eventBus().publish(ADDRESS, entry));
  }

  @Override
  public void onChange(Handler<JsonObject> handler) {
    vertx.eventBus().<JsonObject>consumer(ADDRESS, msg -> handler.handle(msg.body()));
    poll = vertx.setPeriodic(POLL_MILLIS, t -> current().onSuccess(e -> {
      if (e != null) {
        handler.handle(e);
      }
    }));
  }

  public void stop() {
    vertx.cancelTimer(poll);
  }
}
