package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * AEAD through libsodium ({@link Sodium}): ChaCha20-Poly1305 (IETF, RFC 8439) and, where the CPU has AES-NI and
 * PCLMUL, AES-256-GCM. Direct buffers with a memory address (Netty's pooled direct buffers, the relay's hot path)
 * are sealed and opened with no copy and no allocation; units on heap buffers (the codec's 3-byte frame headers,
 * the handshakes' first frames) are copied through a native stage per thread and sealed or opened there, in place;
 * only a heap unit larger than any frame goes through a {@link JdkAead} with the same key, which gives the same
 * bytes.
 *
 * <p>Key, nonce and associated data go into the thread's stage (the nonce on every call, key and associated data
 * when another instance used the stage last): an instance holds no native memory, so a new connection allocates
 * none (a direct buffer per direction used to cost each connection two allocateDirect calls and their Cleaners).
 */
final class SodiumAead extends Aead {

  private static final int KEY = 0;
  private static final int NONCE = 32;
  private static final int AAD = 48;
  private static final int MAX_AAD = 16;
  private static final int DATA = AAD + MAX_AAD;
  /** The largest unit TT seals: a frame body (payload, padding, tag); datagrams are smaller. */
  private static final int STAGE_LEN = 65535 + 256 + TAG;
  private static final byte[] ZEROS = new byte[256];

  /**
   * Native memory per thread (a seal or open uses it only while it runs): the call's key, nonce and associated
   * data, then room for a unit on the heap.
   */
  private static final class Stage {
    final ByteBuffer params = ByteBuffer.allocateDirect(DATA + STAGE_LEN).order(ByteOrder.LITTLE_ENDIAN);
    final long base = Pointer.nativeValue(Native.getDirectBufferPointer(params));
    final long keyAddr = base + KEY;
    final long nonceAddr = base + NONCE;
    final long aadAddr = base + AAD;
    final ByteBuffer buf = params.slice(DATA, STAGE_LEN);
    final long addr = base + DATA;
    /** Whose key and associated data the params hold: a stream's frames on one thread rewrite only the nonce. */
    SodiumAead owner;
  }

  private static final FastThreadLocal<Stage> STAGE = new FastThreadLocal<>() {
    @Override
    protected Stage initialValue() {
      return new Stage();
    }
  };

  private final AeadMethod method;
  private final boolean aes;
  private final byte[] rawKey;
  private final byte[] rawAad;
  private JdkAead fallback;

  SodiumAead(AeadMethod method, byte[] key, byte[] aad) {
    if (aad.length > MAX_AAD) {
      throw new IllegalArgumentException("associated data longer than " + MAX_AAD + " bytes");
    }
    this.method = method;
    this.aes = method == AeadMethod.AES_256_GCM;
    this.rawKey = key.clone();
    this.rawAad = aad.clone();
  }

  static boolean supports(AeadMethod method) {
    return method == AeadMethod.AES_256_GCM ? Sodium.AES_AVAILABLE : Sodium.AVAILABLE;
  }

  private JdkAead fallback() {
    if (fallback == null) {
      fallback = new JdkAead(method, rawKey, rawAad);
    }
    return fallback;
  }

  private static boolean direct(ByteBuf b) {
    return b.hasMemoryAddress();
  }

  /** Writes this instance's key and associated data and the counter nonce into the thread's stage. */
  private Stage stage(long counter) {
    Stage stage = STAGE.get();
    ByteBuffer p = stage.params;
    if (stage.owner != this) {
      p.put(KEY, rawKey);
      p.put(AAD, rawAad);
      stage.owner = this;
    }
    p.putLong(NONCE, counter); // little-endian counter, then 4 zero bytes
    p.putInt(NONCE + 8, 0);
    return stage;
  }

  @Override
  public void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst) {
    if (zeroPad < 0 || zeroPad > 256) {
      throw new IllegalArgumentException("padding out of range: " + zeroPad);
    }
    int outLen = len + zeroPad + TAG;
    boolean staged = !direct(dst);
    if (staged && outLen > STAGE_LEN) {
      fallback().seal(counter, src, srcIndex, len, zeroPad, dst);
      return;
    }
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    long mlen = (long) len + zeroPad;
    long in;
    long out;
    Stage stage = stage(counter);
    if (!staged) {
      out = dst.memoryAddress() + w;
      if (zeroPad == 0 && len > 0 && direct(src)) {
        in = src.memoryAddress() + srcIndex;
      } else {
        // Padding follows the plaintext inside one seal (or it is on the heap): lay it out where the ciphertext
        // goes and seal in place.
        if (len > 0) {
          dst.setBytes(w, src, srcIndex, len);
        }
        dst.setZero(w + len, zeroPad);
        in = out;
      }
    } else {
      ByteBuffer b = stage.buf;
      b.clear().limit(len);
      src.getBytes(srcIndex, b);
      b.limit(len + zeroPad);
      b.put(ZEROS, 0, zeroPad);
      in = out = stage.addr;
    }
    int rc = aes
        ? Sodium.aes256gcmSeal(out, out + mlen, in, mlen, stage.aadAddr, rawAad.length, stage.nonceAddr, stage.keyAddr)
        : Sodium.chacha20poly1305Seal(out, out + mlen, in, mlen, stage.aadAddr, rawAad.length, stage.nonceAddr,
            stage.keyAddr);
    if (rc != 0) {
      throw new IllegalStateException(method + " seal failed");
    }
    if (staged) {
      stage.buf.clear().limit(outLen);
      dst.setBytes(w, stage.buf);
    }
    dst.writerIndex(w + outLen);
  }

  @Override
  public boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    if (len < TAG) {
      return false;
    }
    boolean directIn = direct(src);
    boolean directOut = direct(dst);
    if ((!directIn || !directOut) && len > STAGE_LEN) {
      return fallback().open(counter, src, srcIndex, len, dst);
    }
    int outLen = len - TAG;
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Stage stage = stage(counter);
    long in;
    if (directIn) {
      in = src.memoryAddress() + srcIndex;
    } else {
      stage.buf.clear().limit(len);
      src.getBytes(srcIndex, stage.buf);
      in = stage.addr;
    }
    long out = directOut ? dst.memoryAddress() + w : stage.addr; // in place when both are the stage
    int rc = aes
        ? Sodium.aes256gcmOpen(out, in, outLen, in + outLen, stage.aadAddr, rawAad.length, stage.nonceAddr,
            stage.keyAddr)
        : Sodium.chacha20poly1305Open(out, in, outLen, in + outLen, stage.aadAddr, rawAad.length, stage.nonceAddr,
            stage.keyAddr);
    if (rc != 0) {
      return false;
    }
    if (!directOut) {
      stage.buf.clear().limit(outLen);
      dst.setBytes(w, stage.buf);
    }
    dst.writerIndex(w + outLen);
    return true;
  }
}
