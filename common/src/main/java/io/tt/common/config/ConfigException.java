package io.tt.common.config;

/** A bad option or config value. The message names the key and the problem; it never contains a secret. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  public static ConfigException of(String key, String problem) {
    return new ConfigException(key + ": " + problem);
  }
}
