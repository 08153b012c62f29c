package io.tt.server.fleet;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/** A single server's fleet of one: live config changes apply to it alone. */
public final class LocalFleetStore implements FleetStore {

  private JsonObject entry;
  private Handler<JsonObject> handler = e -> { };

  @Override
  public synchronized Future<JsonObject> current() {
    return Future.succeededFuture(entry);
  }

  @Override
  public synchronized Future<JsonObject> seed(JsonObject e) {
    if (entry == null) {
      entry = e;
    }
    return Future.succeededFuture(entry);
  }

  @Override
  public Future<Void> publish(JsonObject e) {
    synchronized (this) {
      entry = e;
    }
    handler.handle(e);
    return Future.succeededFuture();
  }

  @Override
  public void onChange(Handler<JsonObject> h) {
    handler = h;
  }
}
