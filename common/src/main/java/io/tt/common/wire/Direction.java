package io.tt.common.wire;

/** Which way a stream or datagram flows; each direction has its own subkey. */
public enum Direction {
  CLIENT_TO_SERVER("c2s"),
  SERVER_TO_CLIENT("s2c");

  private final String label;

  Direction(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
