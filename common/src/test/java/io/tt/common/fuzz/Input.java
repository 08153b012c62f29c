package io.tt.common.fuzz;

import java.util.Arrays;

/**
 * Reads a fuzz input front to back as a few typed choices, so seeds can be written by hand ({@link Seed}) and
 * read back the same way. Past the end every choice is its minimum (false, empty).
 *
 * <p>An int in {@code [min, max]} takes as many bytes as the width of the range needs (0 to 4), big-endian,
 * reduced modulo the range; a boolean one byte (low bit); bytes are taken as they are.
 */
public final class Input {

  private final byte[] data;
  private int pos;

  public Input(byte[] data) {
    this.data = data;
  }

  public boolean consumeBoolean() {
    return pos < data.length && (data[pos++] & 1) == 1;
  }

  public int consumeInt(int min, int max) {
    if (max < min) {
      throw new IllegalArgumentException("empty range");
    }
    long range = (long) max - min + 1;
    int width = widthOf(range);
    long raw = 0;
    for (int i = 0; i < width; i++) {
      raw = (raw << 8) | (pos < data.length ? data[pos++] & 0xff : 0);
    }
    return (int) (min + Long.remainderUnsigned(raw, range));
  }

  public long consumeLong() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (pos < data.length ? data[pos++] & 0xff : 0);
    }
    return v;
  }

  /** Up to {@code n} bytes (fewer at the end of the input). */
  public byte[] consumeBytes(int n) {
    int take = Math.max(0, Math.min(n, data.length - pos));
    byte[] r = Arrays.copyOfRange(data, pos, pos + take);
    pos += take;
    return r;
  }

  public byte[] consumeRemainingAsBytes() {
    return consumeBytes(data.length - pos);
  }

  public int remainingBytes() {
    return data.length - pos;
  }

  static int widthOf(long range) {
    if (range <= 1) {
      return 0;
    }
    int w = 0;
    for (long r = range - 1; r > 0; r >>>= 8) {
      w++;
    }
    return w;
  }
}
