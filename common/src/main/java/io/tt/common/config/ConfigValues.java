package io.tt.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Typed, validated reads from a merged JSON config; every failure names its key. */
final class ConfigValues {

  private final JsonObject json;

  ConfigValues(JsonObject json) {
    this.json = json;
  }

  boolean has(String key) {
    Object v = json.getValue(key);
    return v != null && !(v instanceof String s && s.isBlank());
  }

  String string(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return v.toString().trim();
    }
    throw ConfigException.of(key, "must be a string");
  }

  String requiredString(String key, String hint) {
    String s = string(key);
    if (s == null || s.isEmpty()) {
      throw ConfigException.of(key, "missing (" + hint + ")");
    }
    return s;
  }

  int integer(String key, int def, int min, int max) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    long n;
    try {
      n = v instanceof Number num ? num.longValue() : Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw ConfigException.of(key, "must be a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw ConfigException.of(key, "must be between " + min + " and " + max + ", got " + n);
    }
    return (int) n;
  }

  boolean bool(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
    return switch (s) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off", "" -> false;
      default -> throw ConfigException.of(key, "must be true or false, got '" + v + "'");
    };
  }

  /** A list given as a JSON array or a comma-separated string. */
  List<String> list(String key) {
    Object v = json.getValue(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (o == null) {
          throw ConfigException.of(key, "must not contain null");
        }
        out.add(o.toString().trim());
      }
    } else if (v instanceof String s) {
      for (String part : s.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    } else {
      throw ConfigException.of(key, "must be a list or a comma-separated string");
    }
    return out;
  }

  JsonObject raw() {
    return json;
  }
}
