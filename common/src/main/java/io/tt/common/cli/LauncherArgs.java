package io.tt.common.cli;

import io.tt.common.config.ConfigException;
import io.tt.common.config.ConfigSources;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises a Vert.x launcher invocation ({@code java -jar tt-*-fat.jar -conf file.json}) and reads its
 * {@code -conf} value the way the launcher will (a file path, or inline JSON), so bad JSON is reported in one
 * line before the launcher runs.
 */
public final class LauncherArgs {

  private LauncherArgs() {
  }

  public static boolean isLauncherInvocation(String[] args) {
    for (String a : args) {
      if (a.equals("-conf") || a.startsWith("-conf=") || a.equals("-options") || a.equals("-cluster")
          || a.equals("-instances") || a.equals("-worker")) {
        return true;
      }
    }
    return false;
  }

  /** The {@code -conf} value when it names a file (not inline JSON), else null. */
  public static String confFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String v = args[i].equals("-conf") && i + 1 < args.length ? args[i + 1]
          : args[i].startsWith("-conf=") ? args[i].substring("-conf=".length()) : null;
      if (v != null && !v.trim().startsWith("{")) {
        return Path.of(v.trim()).toAbsolutePath().toString();
      }
    }
    return null;
  }

  /** The {@code -conf} JSON, or an empty object when absent. */
  public static JsonObject conf(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value = null;
      if (args[i].equals("-conf")) {
        if (i + 1 >= args.length) {
          throw new ConfigException("-conf needs a file name or a JSON object");
        }
        value = args[i + 1];
      } else if (args[i].startsWith("-conf=")) {
        value = args[i].substring("-conf=".length());
      }
      if (value != null) {
        String v = value.trim();
        if (v.startsWith("{")) {
          return ConfigSources.parseJson(v, "-conf");
        }
        if (!Files.isRegularFile(Path.of(v))) {
          throw new ConfigException("-conf: no such file: " + v);
        }
        return ConfigSources.readFile(v);
      }
    }
    return new JsonObject();
  }
}
