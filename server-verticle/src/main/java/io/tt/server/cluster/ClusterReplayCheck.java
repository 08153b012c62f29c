package io.tt.server.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;

import java.util.HexFormat;

/**
 * The replay check across the cluster: every accepted salt is put, with a time to live of the replay window, into
 * a cluster-wide map; a salt already there came to another member first, so this connection is a replay. Runs
 * after the member's own exact check, asynchronously (never blocking the event loop).
 */
public final class ClusterReplayCheck {

  static final String MAP = "tt.salts";

  private final Vertx vertx;
  private final Future<AsyncMap<String, String>> map;
  private final long ttlMillis;
  private final String member;

  public ClusterReplayCheck(Vertx vertx, long ttlMillis, String member) {
    this.vertx = vertx;
    this.map = vertx.sharedData().getClusterWideMap(MAP);
    this.ttlMillis = ttlMillis;
    this.member = member;
  }

  /**
   * Completes with true if no member has seen the salt (it is now recorded), false for a replay. Completes on the
   * caller's context (the connection's event loop), whichever thread the cluster answers on.
   */
  public Future<Boolean> fresh(byte[] salt) {
    String key = HexFormat.of().formatHex(salt);
    PromiseInternal<Boolean> done = ((VertxInternal) vertx).getOrCreateContext().promise();
    map.compose(m -> m.putIfAbsent(key, member, ttlMillis)).map(previous -> previous == null).onComplete(done);
    return done.future();
  }
}
