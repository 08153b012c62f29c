package io.tt.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the key comes from: {@code key} (string or list; from the config file, TT_KEY or -k) and/or
 * {@code key-file} (one key per non-empty line). Errors never echo key material.
 */
final class KeySources {

  private KeySources() {
  }

  static List<Secret> resolve(ConfigValues c) {
    List<Secret> keys = new ArrayList<>();
    // A string is one key (passwords may contain commas); a JSON array is a key set.
    Object raw = c.raw().getValue("key");
    if (raw instanceof io.vertx.core.json.JsonArray) {
      for (String k : c.list("key")) {
        if (!k.isEmpty()) {
          keys.add(new Secret(k));
        }
      }
    } else if (raw != null && !raw.toString().isEmpty()) {
      keys.add(new Secret(raw.toString()));
    }
    if (c.has("key-file")) {
      String file = c.string("key-file");
      List<String> lines;
      try {
        lines = Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw ConfigException.of("key-file", file + ": " + ConfigSources.describe(e));
      } catch (RuntimeException e) {
        throw ConfigException.of("key-file", file + ": cannot read it");
      }
      for (String line : lines) {
        if (!line.isBlank()) {
          keys.add(new Secret(line.strip()));
        }
      }
      if (keys.isEmpty()) {
        throw ConfigException.of("key-file", file + " holds no key");
      }
    }
    if (keys.isEmpty()) {
      throw ConfigException.of("key", "missing: give -k/--key, --key-file FILE or the TT_KEY environment variable");
    }
    return keys;
  }
}
