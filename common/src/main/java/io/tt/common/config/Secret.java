package io.tt.common.config;

/** A password or credential: printing it shows stars, so it cannot leak through a log line by accident. */
public record Secret(String value) {

  public Secret {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("empty secret");
    }
  }

  @Override
  public String toString() {
    return "****";
  }
}
