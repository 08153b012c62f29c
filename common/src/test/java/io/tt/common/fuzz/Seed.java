package io.tt.common.fuzz;

import java.io.ByteArrayOutputStream;

/** Writes inputs that {@link Input} reads back as the same choices: for hand-made seed corpus files. */
public final class Seed {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public Seed bool(boolean b) {
    out.write(b ? 1 : 0);
    return this;
  }

  public Seed integer(int min, int max, int value) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " outside " + min + ".." + max);
    }
    long raw = (long) value - min;
    int width = Input.widthOf((long) max - min + 1);
    for (int i = width - 1; i >= 0; i--) {
      out.write((int) (raw >>> (8 * i)));
    }
    return this;
  }

  public Seed longValue(long v) {
    for (int i = 7; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)));
    }
    return this;
  }

  public Seed bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
