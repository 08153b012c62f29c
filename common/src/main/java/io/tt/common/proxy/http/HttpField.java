package io.tt.common.proxy.http;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One field line: the name as received (matched case-insensitively) and the value with surrounding whitespace
 * removed. Both are ISO-8859-1 strings so every received byte maps back to itself when the line is re-sent.
 * Credential-bearing values never show in {@link #toString()}.
 */
public record HttpField(String name, String value) {

  private static final Set<String> SECRET = Set.of("proxy-authorization", "authorization", "cookie", "set-cookie");

  public HttpField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  public boolean is(String otherName) {
    return name.equalsIgnoreCase(otherName);
  }

  @Override
  public String toString() {
    return name + ": " + (SECRET.contains(name.toLowerCase(Locale.ROOT)) ? "***" : value);
  }
}
