package io.tt.common.cli;

import io.tt.common.config.CommandLine;
import io.tt.common.config.ConfigException;
import io.tt.common.config.ConfigSources;
import io.tt.common.config.OptionSpec;
import io.tt.common.log.Logs;
import io.tt.common.net.TtTransport;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.VertxApplication;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The entry point both fat jars share: {@code tt server|client [options]} with TT's own options, or the Vert.x
 * launcher form {@code java -jar tt-*-fat.jar -conf file.json}. Bad input: one line on stderr, exit code 2.
 */
public final class TtMain {

  /**
   * One side of TT.
   *
   * @param validate throws ConfigException for a bad merged config
   */
  public record Side(String program, String title, String usageLine, List<OptionSpec> options,
                     Consumer<JsonObject> validate, Supplier<? extends Deployable> verticle,
                     BiFunction<JsonObject, VertxOptions, VertxBuilder> vertxBuilder, Predicate<JsonObject> clustered) {

    /** A side whose Vert.x needs nothing but TT's native transport. */
    public Side(String program, String title, String usageLine, List<OptionSpec> options,
                Consumer<JsonObject> validate, Supplier<? extends Deployable> verticle) {
      this(program, title, usageLine, options, validate, verticle,
          (config, opts) -> TtTransport.apply(Vertx.builder()).with(opts.setPreferNativeTransport(true)), config -> false);
    }
  }

  private TtMain() {
  }

  public static void main(Side side, String[] args) {
    int code = run(side, args, System.getenv(), System.out, System.err);
    if (code >= 0) {
      System.exit(code);
    }
  }

  /** @return an exit code, or -1 while the side is running */
  public static int run(Side side, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    JsonObject config;
    try {
      if (LauncherArgs.isLauncherInvocation(args)) {
        return launch(side, args, env);
      }
      Cli.Invocation inv = Cli.read(args, side.options(), env);
      if (inv.help()) {
        out.print(CommandLine.usage(side.title(), side.usageLine(), side.options()));
        return 0;
      }
      if (inv.version()) {
        out.println(side.program().replace(' ', '-') + " " + Cli.version());
        return 0;
      }
      config = inv.config();
      side.validate().accept(config);
      if (inv.keyInArgv()) {
        Cli.warnKeyInArgv(err, side.program());
      }
    } catch (ConfigException e) {
      return Cli.error(err, side.program(), e.getMessage());
    } catch (RuntimeException e) {
      // A value that slipped past validation: still one line, never a stack trace (which could quote input).
      return Cli.error(err, side.program(), "invalid configuration (" + e.getClass().getSimpleName() + ")");
    }
    Logs.configure(config.getBoolean("verbose", false));
    VertxBuilder builder = side.vertxBuilder().apply(config, new VertxOptions());
    Future<Vertx> vertx = side.clustered().test(config) ? builder.buildClustered() : Future.succeededFuture(builder.build());
    vertx.compose(v -> v.deployVerticle(side.verticle(), new DeploymentOptions().setConfig(config))).onFailure(e -> {
      err.println(side.program() + ": cannot start: " + e.getMessage());
      System.exit(Cli.START_FAILURE);
    });
    return -1;
  }

  /** The Vert.x launcher path; the -conf JSON is checked first so bad input gets TT's one-line error. */
  private static int launch(Side side, String[] args, Map<String, String> env) {
    JsonObject conf = LauncherArgs.conf(args);
    JsonObject merged = ConfigSources.merge(side.options(), conf, env, new JsonObject());
    side.validate().accept(merged);
    JsonObject internal = new JsonObject();
    String confFile = LauncherArgs.confFile(args);
    if (confFile != null) {
      internal.put(Cli.CONFIG_FILE_KEY, confFile).put(Cli.CONFIG_OVERRIDES_KEY, new JsonObject());
    }
    merged.mergeIn(internal);
    String[] launcherArgs = args;
    if (side.clustered().test(merged)) {
      launcherArgs = java.util.Arrays.copyOf(args, args.length + 1);
      launcherArgs[args.length] = "-cluster";
    }
    int code = new VertxApplication(launcherArgs, new TtLauncherHooks(side.options(), env, side.verticle(),
        merged.getBoolean("verbose", false), opts -> side.vertxBuilder().apply(merged, opts), internal)).launch();
    return code == 0 ? -1 : code;
  }
}
