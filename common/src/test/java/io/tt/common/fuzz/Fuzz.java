package io.tt.common.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.common.crypto.MasterKey;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Shared pieces of the fuzz targets: the test-vector key (PROTOCOL.md section 9, public, not a secret), input
 * splitting, byte mutations and a reflective peek at private buffers whose size an invariant bounds.
 *
 * <p>Assertion messages name sizes, positions and states, never key bytes.
 */
final class Fuzz {

  /** The master key of the PROTOCOL.md vectors (password "correct horse battery staple"). */
  static final MasterKey KEY = MasterKey.ofRaw(
      HexFormat.of().parseHex("28c66c50ce62bf4022a502936e49e021f20443c9852e36604af036e73367600a"));
  /** A second key no server in these targets accepts. */
  static final MasterKey OTHER_KEY = MasterKey.ofRaw(new byte[32]);
  /** The port of the vectors. */
  static final int PORT = 8443;

  static final ByteBufAllocator HEAP = new UnpooledByteBufAllocator(false);
  static final ByteBufAllocator DIRECT = new UnpooledByteBufAllocator(true);

  private Fuzz() {
  }

  /**
   * Cuts {@code data} into pieces whose sizes the fuzzer picks (the last piece takes the rest): a piece size of
   * 0 is allowed, as a socket may deliver an empty read.
   */
  static List<byte[]> split(Input p, byte[] data, int maxPieces) {
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    int n = p.consumeInt(0, maxPieces);
    for (int i = 0; i < n && at < data.length; i++) {
      int len = p.consumeBoolean() ? p.consumeInt(0, 64) : p.consumeInt(0, data.length - at);
      len = Math.min(len, data.length - at);
      pieces.add(Arrays.copyOfRange(data, at, at + len));
      at += len;
    }
    pieces.add(Arrays.copyOfRange(data, at, data.length));
    return pieces;
  }

  /** {@code data} cut into pieces of {@code size} bytes. */
  static List<byte[]> chunks(byte[] data, int size) {
    List<byte[]> pieces = new ArrayList<>();
    for (int i = 0; i < data.length; i += size) {
      pieces.add(Arrays.copyOfRange(data, i, Math.min(data.length, i + size)));
    }
    if (pieces.isEmpty()) {
      pieces.add(new byte[0]);
    }
    return pieces;
  }

  /**
   * Applies up to {@code max} fuzzer-chosen edits to a genuine message: flip a byte, truncate, insert or append
   * bytes. Returns the edited copy (possibly equal to the input).
   */
  static byte[] mutate(Input p, byte[] genuine, int max) {
    byte[] m = genuine;
    int n = p.consumeInt(0, max);
    for (int i = 0; i < n; i++) {
      switch (p.consumeInt(0, 3)) {
        case 0 -> {
          if (m.length > 0) {
            m = m.clone();
            int at = p.consumeInt(0, m.length - 1);
            m[at] ^= (byte) p.consumeInt(1, 255);
          }
        }
        case 1 -> m = Arrays.copyOf(m, p.consumeInt(0, m.length));
        case 2 -> {
          int at = p.consumeInt(0, m.length);
          byte[] ins = p.consumeBytes(p.consumeInt(1, 64));
          byte[] r = new byte[m.length + ins.length];
          System.arraycopy(m, 0, r, 0, at);
          System.arraycopy(ins, 0, r, at, ins.length);
          System.arraycopy(m, at, r, at + ins.length, m.length - at);
          m = r;
        }
        default -> {
          byte[] tail = p.consumeBytes(p.consumeInt(1, 256));
          byte[] r = Arrays.copyOf(m, m.length + tail.length);
          System.arraycopy(tail, 0, r, m.length, tail.length);
          m = r;
        }
      }
    }
    return m;
  }

  /** First index where the two differ, or the shorter length when one is a prefix of the other. */
  static int firstDifference(byte[] a, byte[] b) {
    int i = Arrays.mismatch(a, b);
    return i < 0 ? a.length : i;
  }

  static byte[] bytes(Input p, int n) {
    return Arrays.copyOf(p.consumeBytes(n), n);
  }

  /** A genuine opening as a peer sends it, and where its first frame ends. */
  record Opening(byte[] bytes, int firstEnd) {
  }

  /**
   * Salt, a first frame of {@code payload} with {@code pad} bytes of padding, then 0-2 more frames the fuzzer
   * makes up, sealed for one direction of one connection.
   */
  static Opening opening(Input p, io.tt.common.crypto.MasterKey key, byte[] salt, io.tt.common.wire.Direction direction,
                         io.tt.common.crypto.AeadMethod method, int port, byte[] payload, int pad) {
    io.tt.common.wire.FrameEncoder enc = new io.tt.common.wire.FrameEncoder(
        io.tt.common.wire.SessionKeys.streamAead(key, salt, direction, method, port), io.tt.common.wire.Padding.OFF,
        io.tt.common.wire.Frames.MAX_PAYLOAD);
    ByteBuf wire = Unpooled.buffer();
    wire.writeBytes(salt);
    enc.encodeFrame(Unpooled.wrappedBuffer(payload), 0, payload.length, pad, wire);
    int firstEnd = wire.writerIndex();
    int more = p.consumeInt(0, 2);
    for (int i = 0; i < more; i++) {
      byte[] b = p.consumeBytes(p.consumeInt(0, 100));
      enc.encodeFrame(Unpooled.wrappedBuffer(b), 0, b.length, p.consumeInt(0, 255), wire);
    }
    return new Opening(bytesOf(wire), firstEnd);
  }

  static byte[] bytesOf(ByteBuf b) {
    byte[] r = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), r);
    return r;
  }

  static ByteBuf wrap(byte[] b, ByteBufAllocator alloc) {
    ByteBuf buf = alloc.buffer(Math.max(1, b.length));
    buf.writeBytes(b);
    return buf;
  }

  static ByteBuf wrap(byte[] b) {
    return Unpooled.wrappedBuffer(b);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] r = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, r, at, p.length);
      at += p.length;
    }
    return r;
  }

  /** A private field, for invariants about buffers a class keeps to itself. */
  static Object field(Object target, String name) {
    try {
      Field f = target.getClass().getDeclaredField(name);
      f.setAccessible(true);
      return f.get(target);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("no field " + name + " in " + target.getClass().getName(), e);
    }
  }
}
