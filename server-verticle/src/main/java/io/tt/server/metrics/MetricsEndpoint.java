package io.tt.server.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tt.common.proxy.TargetAddress;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.micrometer.PrometheusRequestHandler;

import java.util.function.BooleanSupplier;

/** The management port: Prometheus text on /metrics, liveness/readiness on /health. */
public final class MetricsEndpoint {

  private MetricsEndpoint() {
  }

  public static Future<HttpServer> start(Vertx vertx, TargetAddress listen, PrometheusMeterRegistry registry,
                                         BooleanSupplier healthy) {
    Handler<HttpServerRequest> scrape = PrometheusRequestHandler.create(registry);
    return vertx.createHttpServer(new HttpServerOptions().setHost(listen.host()).setPort(listen.port()))
        .requestHandler(req -> {
          switch (req.path()) {
            case "/metrics" -> scrape.handle(req);
            case "/health" -> {
              boolean ok = healthy.getAsBoolean();
              req.response().setStatusCode(ok ? 200 : 503).putHeader("Content-Type", "text/plain")
                  .end(ok ? "ok\n" : "starting\n");
            }
            default -> req.response().setStatusCode(404).end();
          }
        })
        .listen();
  }
}
