package io.tt.common.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** Parses {@code -k VALUE}, {@code --key VALUE}, {@code --key=VALUE} and flags into a JSON config object. */
public final class CommandLine {

  private CommandLine() {
  }

  public static JsonObject parse(String[] args, List<OptionSpec> specs) {
    JsonObject out = new JsonObject();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String inlineValue = null;
      OptionSpec spec;
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        int eq = name.indexOf('=');
        if (eq >= 0) {
          inlineValue = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        spec = byLong(specs, name);
      } else if (arg.startsWith("-") && arg.length() == 2) {
        spec = byShort(specs, arg.substring(1));
      } else {
        throw new ConfigException("unexpected argument '" + arg + "' (options start with - or --)");
      }
      if (spec == null) {
        throw new ConfigException("unknown option '" + (inlineValue == null ? arg : arg.substring(0, arg.indexOf('='))) + "'");
      }
      if (spec.isFlag()) {
        if (inlineValue != null) {
          throw new ConfigException("option --" + spec.longName() + " takes no value");
        }
        out.put(spec.longName(), true);
        continue;
      }
      String value = inlineValue;
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new ConfigException("option --" + spec.longName() + " needs a value <" + spec.valueName() + ">");
        }
        value = args[++i];
      }
      out.put(spec.longName(), value);
    }
    return out;
  }

  private static OptionSpec byLong(List<OptionSpec> specs, String name) {
    return specs.stream().filter(s -> s.longName().equals(name)).findFirst().orElse(null);
  }

  private static OptionSpec byShort(List<OptionSpec> specs, String name) {
    return specs.stream().filter(s -> name.equals(s.shortName())).findFirst().orElse(null);
  }

  /** The usage text, in the seed's layout. */
  public static String usage(String title, String usageLine, List<OptionSpec> specs) {
    StringBuilder sb = new StringBuilder();
    sb.append(title).append("\n\nUSAGE:\n    ").append(usageLine).append("\n\nFLAGS:\n");
    for (OptionSpec s : specs) {
      if (s.isFlag()) {
        sb.append(line(s));
      }
    }
    sb.append("\nOPTIONS:\n");
    for (OptionSpec s : specs) {
      if (!s.isFlag()) {
        sb.append(line(s));
      }
    }
    return sb.toString();
  }

  private static String line(OptionSpec s) {
    String names = (s.shortName() == null ? "    " : "-" + s.shortName() + ", ") + "--" + s.longName()
        + (s.isFlag() ? "" : " <" + s.valueName() + ">");
    String help = s.help() + (s.defaultValue() == null ? "" : " [default: " + s.defaultValue() + "]");
    return String.format("    %-36s %s%n", names, help);
  }
}
