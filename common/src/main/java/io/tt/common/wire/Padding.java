package io.tt.common.wire;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How much random-length padding a frame gets (0..255 bytes, sealed inside the frame body).
 *
 * <p>The pad length is hidden inside the sealed header, so it only needs to be unpredictable to an observer
 * of total lengths; ThreadLocalRandom is enough and costs nothing on the hot path.
 */
public enum Padding {
  /** No padding except on the first frame of each direction. */
  OFF,
  /** Random padding on frames with less than {@link #SMALL} payload bytes (handshakes, keystrokes, acks). */
  AUTO,
  /** Random padding on every frame. */
  FULL;

  public static final int MAX = 255;
  public static final int SMALL = 1024;

  public int padFor(int payloadLength, boolean firstFrame) {
    return pads(payloadLength, firstFrame) ? ThreadLocalRandom.current().nextInt(MAX + 1) : 0;
  }

  /** Whether a frame of {@code payloadLength} bytes gets padding (of up to {@link #MAX} bytes). */
  public boolean pads(int payloadLength, boolean firstFrame) {
    return switch (this) {
      case OFF -> firstFrame;
      case AUTO -> firstFrame || payloadLength < SMALL;
      case FULL -> true;
    };
  }

  public static Padding fromName(String s) {
    for (Padding p : values()) {
      if (p.name().equalsIgnoreCase(s.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("padding must be off, auto or full, got '" + s + "'");
  }
}
