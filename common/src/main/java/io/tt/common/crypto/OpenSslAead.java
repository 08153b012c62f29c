package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * AES-256-GCM through OpenSSL's EVP interface ({@link OpenSsl}), allocating nothing per seal or open.
 *
 * <p>Each thread keeps two EVP contexts, one sealing and one opening, and every instance on that thread uses them
 * (a connection stays on its event loop). A context holds the key schedule of the instance that used it last: a
 * stream's frames only give it a new nonce; another instance's frame first sets its key, which costs 0.1-0.25 µs
 * (a 3-byte seal took 0.42-0.54 µs with two instances alternating, 0.30-0.32 with one). The thread's native block
 * carries the nonce, the associated data and a stage for units on the heap; direct buffers with a memory address
 * (Netty's pooled ones, the relay's hot path) are sealed and opened where they lie. Only a heap unit larger than
 * any frame goes through a {@link JdkAead} with the same key, which gives the same bytes.
 */
final class OpenSslAead extends Aead {

  private static final int KEY = 0;
  private static final int NONCE = 32;
  private static final int SEAL_AAD = 48;
  private static final int OPEN_AAD = 64;
  private static final int MAX_AAD = 16;
  private static final int OUT_LEN = 80;
  private static final int ZEROS = 128;
  private static final int MAX_PAD = 256;
  private static final int STAGE = ZEROS + MAX_PAD;
  /** The largest unit TT seals: a frame body (payload, padding, tag); datagrams are smaller. */
  private static final int STAGE_LEN = 65535 + MAX_PAD + TAG;
  private static final byte[] NO_KEY = new byte[AeadMethod.KEY_LENGTH];

  /** One thread's EVP contexts and native block; freed when the thread's thread-locals are removed (event loops). */
  private static final class Contexts {
    final ByteBuffer mem = ByteBuffer.allocateDirect(STAGE + STAGE_LEN).order(ByteOrder.LITTLE_ENDIAN);
    final long base = Pointer.nativeValue(Native.getDirectBufferPointer(mem));
    final ByteBuffer stage = mem.slice(STAGE, STAGE_LEN);
    final long stageAddr = base + STAGE;
    final long sealCtx = newContext(true);
    final long openCtx = newContext(false);
    /** Whose key and associated data each context holds (null: none yet). */
    OpenSslAead sealing;
    OpenSslAead opening;

    private static long newContext(boolean seal) {
      long ctx = OpenSsl.EVP_CIPHER_CTX_new();
      long cipher = OpenSsl.EVP_aes_256_gcm();
      int rc = ctx == 0 ? 0 : seal ? OpenSsl.encryptInit(ctx, cipher, 0, 0) : OpenSsl.decryptInit(ctx, cipher, 0, 0);
      if (rc != 1) {
        throw new IllegalStateException("OpenSSL: no AES-256-GCM context");
      }
      return ctx;
    }

    void free() {
      OpenSsl.EVP_CIPHER_CTX_free(sealCtx);
      OpenSsl.EVP_CIPHER_CTX_free(openCtx);
    }
  }

  private static final FastThreadLocal<Contexts> CONTEXTS = new FastThreadLocal<>() {
    @Override
    protected Contexts initialValue() {
      return new Contexts();
    }

    @Override
    protected void onRemoval(Contexts contexts) {
      contexts.free();
    }
  };

  private final byte[] rawKey;
  private final byte[] rawAad;
  private JdkAead fallback;

  OpenSslAead(byte[] key, byte[] aad) {
    if (aad.length > MAX_AAD) {
      throw new IllegalArgumentException("associated data longer than " + MAX_AAD + " bytes");
    }
    this.rawKey = key.clone();
    this.rawAad = aad.clone();
  }

  /** Loaded, and seals, opens and refuses a known frame as the JDK does ({@link KnownAnswer}); checked once. */
  private static final boolean USABLE = OpenSsl.AVAILABLE && KnownAnswer.matchesJdk(OpenSslAead::new);

  static boolean available() {
    return USABLE;
  }

  private JdkAead fallback() {
    if (fallback == null) {
      fallback = new JdkAead(AeadMethod.AES_256_GCM, rawKey, rawAad);
    }
    return fallback;
  }

  /** Writes this instance's key and associated data into the thread's block; returns the key's address. */
  private long keyFor(Contexts c, int aadAt) {
    c.mem.put(KEY, rawKey);
    c.mem.put(aadAt, rawAad);
    return c.base + KEY;
  }

  private static long nonce(Contexts c, long counter) {
    c.mem.putLong(NONCE, counter); // little-endian counter, then 4 zero bytes
    c.mem.putInt(NONCE + 8, 0);
    return c.base + NONCE;
  }

  @Override
  public void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst) {
    if (zeroPad < 0 || zeroPad > MAX_PAD) {
      throw new IllegalArgumentException("padding out of range: " + zeroPad);
    }
    int outLen = len + zeroPad + TAG;
    boolean directIn = len == 0 || src.hasMemoryAddress();
    boolean directOut = dst.hasMemoryAddress();
    if ((!directIn || !directOut) && outLen > STAGE_LEN) {
      fallback().seal(counter, src, srcIndex, len, zeroPad, dst);
      return;
    }
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Contexts c = CONTEXTS.get();
    long in;
    if (directIn) {
      in = len == 0 ? c.stageAddr : src.memoryAddress() + srcIndex;
    } else {
      c.stage.clear().limit(len);
      src.getBytes(srcIndex, c.stage);
      in = c.stageAddr;
    }
    long out = directOut ? dst.memoryAddress() + w : c.stageAddr; // in place when both are the stage
    long ctx = c.sealCtx;
    long key = 0;
    if (c.sealing != this) {
      key = keyFor(c, SEAL_AAD);
      c.sealing = this;
    }
    long outl = c.base + OUT_LEN;
    boolean ok = OpenSsl.encryptInit(ctx, 0, key, nonce(c, counter)) == 1
        && OpenSsl.encryptUpdate(ctx, 0, outl, c.base + SEAL_AAD, rawAad.length) == 1
        && (len == 0 || OpenSsl.encryptUpdate(ctx, out, outl, in, len) == 1)
        && (zeroPad == 0 || OpenSsl.encryptUpdate(ctx, out + len, outl, c.base + ZEROS, zeroPad) == 1)
        && OpenSsl.encryptFinal(ctx, out + len + zeroPad, outl) == 1
        && OpenSsl.ctrl(ctx, OpenSsl.EVP_CTRL_GCM_GET_TAG, TAG, out + len + zeroPad) == 1;
    if (key != 0) {
      c.mem.put(KEY, NO_KEY); // the context holds the schedule; the key need not stay
    }
    if (!ok) {
      c.sealing = null;
      throw new IllegalStateException("aes-256-gcm seal failed in OpenSSL");
    }
    if (!directOut) {
      c.stage.clear().limit(outLen);
      dst.setBytes(w, c.stage);
    }
    dst.writerIndex(w + outLen);
  }

  @Override
  public boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    if (len < TAG) {
      return false;
    }
    boolean directIn = src.hasMemoryAddress();
    boolean directOut = dst.hasMemoryAddress();
    if ((!directIn || !directOut) && len > STAGE_LEN) {
      return fallback().open(counter, src, srcIndex, len, dst);
    }
    int outLen = len - TAG;
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Contexts c = CONTEXTS.get();
    long in;
    if (directIn) {
      in = src.memoryAddress() + srcIndex;
    } else {
      c.stage.clear().limit(len);
      src.getBytes(srcIndex, c.stage);
      in = c.stageAddr;
    }
    long out = directOut ? dst.memoryAddress() + w : c.stageAddr; // in place when both are the stage
    long ctx = c.openCtx;
    long key = 0;
    if (c.opening != this) {
      key = keyFor(c, OPEN_AAD);
      c.opening = this;
    }
    long outl = c.base + OUT_LEN;
    boolean ok = OpenSsl.decryptInit(ctx, 0, key, nonce(c, counter)) == 1
        && OpenSsl.decryptUpdate(ctx, 0, outl, c.base + OPEN_AAD, rawAad.length) == 1
        && (outLen == 0 || OpenSsl.decryptUpdate(ctx, out, outl, in, outLen) == 1)
        && OpenSsl.ctrl(ctx, OpenSsl.EVP_CTRL_GCM_SET_TAG, TAG, in + outLen) == 1;
    if (key != 0) {
      c.mem.put(KEY, NO_KEY);
      if (!ok) {
        c.opening = null;
      }
    }
    // Final checks the tag; it writes no bytes for GCM.
    if (!ok || OpenSsl.decryptFinal(ctx, out + outLen, outl) != 1) {
      if (directOut && outLen > 0) {
        dst.setZero(w, outLen); // unauthenticated plaintext is not left behind the writer index
      }
      return false;
    }
    if (!directOut) {
      c.stage.clear().limit(outLen);
      dst.setBytes(w, c.stage);
    }
    dst.writerIndex(w + outLen);
    return true;
  }
}
