package io.tt.common.cli;

import io.tt.common.config.CommandLine;
import io.tt.common.config.ConfigException;
import io.tt.common.config.ConfigSources;
import io.tt.common.config.OptionSpec;
import io.vertx.core.json.JsonObject;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** What {@code tt server} and {@code tt client} share: parse argv, merge config layers, report errors in one line. */
public final class Cli {

  /** Exit code for bad usage or bad config. */
  public static final int USAGE_ERROR = 2;
  /** Exit code when the process could not start (port in use, ...). */
  public static final int START_FAILURE = 1;

  private Cli() {
  }

  /** The result of reading argv: either a request for help/version, or a merged config. */
  public record Invocation(boolean help, boolean version, JsonObject config, boolean keyInArgv) {
  }

  /**
   * Internal config keys the launcher adds so a running side can re-read its config file live: the file, and the
   * command-line layer to put over it again.
   */
  public static final String CONFIG_FILE_KEY = "config-file";
  public static final String CONFIG_OVERRIDES_KEY = "config-overrides";

  /**
   * @throws ConfigException on any bad option, file or value (the message is ready to print)
   */
  public static Invocation read(String[] args, List<OptionSpec> specs, Map<String, String> env) {
    JsonObject cli = CommandLine.parse(args, specs);
    if (cli.getBoolean("help", false)) {
      return new Invocation(true, false, null, false);
    }
    if (cli.getBoolean("version", false)) {
      return new Invocation(false, true, null, false);
    }
    JsonObject file = null;
    String configPath = cli.getString("config");
    if (configPath != null) {
      file = ConfigSources.readFile(configPath);
    }
    JsonObject merged = ConfigSources.merge(specs, file, env, cli);
    merged.remove("config");
    merged.remove("help");
    merged.remove("version");
    if (configPath != null) {
      JsonObject overrides = cli.copy();
      overrides.remove("config");
      merged.put(CONFIG_FILE_KEY, java.nio.file.Path.of(configPath).toAbsolutePath().toString());
      merged.put(CONFIG_OVERRIDES_KEY, overrides);
    }
    return new Invocation(false, false, merged, cli.containsKey("key"));
  }

  public static int error(PrintStream err, String program, String message) {
    err.println(program + ": error: " + message + " (see '" + program + " --help')");
    return USAGE_ERROR;
  }

  public static String version() {
    String v = Cli.class.getPackage().getImplementationVersion();
    return v == null ? "1.0.0" : v;
  }

  /** Warns that a key given on the command line is visible to other local users (ps, /proc). */
  public static void warnKeyInArgv(PrintStream err, String program) {
    err.println(program + ": warning: a key on the command line is visible to other users of this machine; "
        + "prefer --key-file FILE or the TT_KEY environment variable");
  }
}
