package io.tt.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tt.common.config.ServerConfig;
import io.tt.common.net.TtTransport;
import io.tt.server.cluster.HazelcastSetup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;


/**
 * How a server's Vert.x is built: native transport; with {@code metrics-listen}, Vert.x's Micrometer metrics into a
 * Prometheus registry that TT's meters join; with {@code cluster-members}, clustered through Hazelcast.
 */
public final class ServerVertx {

  /**
   * Internal config key: the name of the server's metrics registry. One server per process needs none (the
   * default is used); tests running several servers in one JVM give each its own.
   */
  public static final String REGISTRY_KEY = "metrics-registry";
  public static final String DEFAULT_REGISTRY = "tt-server";

  private ServerVertx() {
  }

  public static boolean clustered(JsonObject config) {
    return !ServerConfig.fromJson(config).clusterMembers().isEmpty();
  }

  public static String registryName(JsonObject config) {
    return config.getString(REGISTRY_KEY, DEFAULT_REGISTRY);
  }

  /** Fills {@code options} and returns the builder. */
  public static VertxBuilder builder(JsonObject config, VertxOptions options) {
    ServerConfig cfg = ServerConfig.fromJson(config);
    options.setPreferNativeTransport(true);
    VertxBuilder b = TtTransport.apply(Vertx.builder());
    if (cfg.metricsListen() != null) {
      String name = registryName(config);
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      options.setMetricsOptions(new MicrometerMetricsOptions()
          .setEnabled(true)
          .setRegistryName(name)
          .setJvmMetricsEnabled(true)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
      b.withMetrics(new MicrometerMetricsFactory(registry));
    }
    if (!cfg.clusterMembers().isEmpty()) {
      options.setEventBusOptions(new EventBusOptions().setHost(cfg.clusterHost()).setPort(0));
      b.withClusterManager(HazelcastSetup.clusterManager(cfg));
    }
    return b.with(options);
  }
}
