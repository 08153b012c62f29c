package io.tt.common.config;

/**
 * One command-line option. Its long name is also its JSON config key and, upper-cased with {@code _}, the
 * environment variable after {@code TT_} (e.g. {@code --port-range}, {@code "port-range"}, {@code TT_PORT_RANGE}).
 */
public record OptionSpec(String shortName, String longName, String valueName, String defaultValue, String help) {

  public boolean isFlag() {
    return valueName == null;
  }

  public String envName() {
    return "TT_" + longName.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  public static OptionSpec flag(String shortName, String longName, String help) {
    return new OptionSpec(shortName, longName, null, null, help);
  }

  public static OptionSpec value(String shortName, String longName, String valueName, String defaultValue, String help) {
    return new OptionSpec(shortName, longName, valueName, defaultValue, help);
  }
}
