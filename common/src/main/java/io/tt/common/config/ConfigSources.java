package io.tt.common.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Merges config layers: JSON file, then TT_* environment, then command line; later wins. */
public final class ConfigSources {

  private ConfigSources() {
  }

  public static JsonObject merge(List<OptionSpec> specs, JsonObject file, Map<String, String> env, JsonObject cli) {
    JsonObject out = new JsonObject();
    if (file != null) {
      for (String k : file.fieldNames()) {
        if (specs.stream().noneMatch(s -> s.longName().equals(k))) {
          throw ConfigException.of(k, "unknown config key");
        }
      }
      out.mergeIn(file);
    }
    for (OptionSpec s : specs) {
      String v = env.get(s.envName());
      if (v != null && !v.isEmpty()) {
        out.put(s.longName(), v);
      }
    }
    out.mergeIn(cli);
    return out;
  }

  /** Reads a JSON config file; a missing file or bad JSON is one clear error. */
  public static JsonObject readFile(String path) {
    String text;
    try {
      text = Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("config file " + path + ": " + describe(e));
    }
    return parseJson(text, "config file " + path);
  }

  /** A file error in words: "no such file", "permission denied", "is a directory". */
  public static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (Files.isDirectory(Path.of(String.valueOf(e.getMessage())))) {
      return "is a directory";
    }
    return "cannot read it";
  }

  public static JsonObject parseJson(String text, String what) {
    try {
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      String msg = String.valueOf(e.getMessage());
      // Jackson's message quotes the input; keep only the position so a key in the file is never echoed.
      int at = msg.indexOf(" at [");
      String where = at >= 0 ? msg.substring(at + 1).replaceAll("Source: [^;]*; ", "").replace("\n", " ") : "";
      throw new ConfigException(what + ": not valid JSON " + where.trim());
    }
  }
}
