package io.tt.common.cli;

import io.tt.common.config.ConfigSources;
import io.tt.common.config.OptionSpec;
import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplicationHooks;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Hooks of the Vert.x launcher path: TT_* environment over -conf, native transport, TT's verticle. */
public final class TtLauncherHooks implements VertxApplicationHooks {

  private final List<OptionSpec> specs;
  private final boolean verbose;
  private final java.util.function.Function<VertxOptions, VertxBuilder> builder;
  /** Internal keys (the config file to watch) added to the config the launcher deploys with. */
  private final JsonObject internal;
  private final Map<String, String> env;
  private final Supplier<? extends Deployable> verticle;

  public TtLauncherHooks(List<OptionSpec> specs, Map<String, String> env, Supplier<? extends Deployable> verticle,
                         boolean verbose, java.util.function.Function<VertxOptions, VertxBuilder> builder,
                         JsonObject internal) {
    this.builder = builder;
    this.internal = internal;
    this.specs = specs;
    this.verbose = verbose;
    this.env = env;
    this.verticle = verticle;
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject vertxOptions) {
    return (vertxOptions == null ? new JsonObject() : vertxOptions).put("preferNativeTransport", true);
  }

  /** The side's own builder: metrics and cluster manager when its config asks for them. */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    return builder.apply(options);
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    return ConfigSources.merge(specs, config == null ? new JsonObject() : config, env, new JsonObject()).mergeIn(internal);
  }

  @Override
  public void beforeStartingVertx(HookContext context) {
    // The launcher reads its own logging config when it starts; TT's one-line format goes on after that.
    io.tt.common.log.Logs.configure(verbose);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return verticle;
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    System.err.println("tt: cannot start: " + t.getMessage());
  }
}
