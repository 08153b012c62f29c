package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * AES-256-GCM through libgcrypt ({@link Gcrypt}), allocating nothing per seal or open.
 *
 * <p>Each thread keeps two cipher handles, one sealing and one opening, and every instance on that thread uses them
 * (a connection stays on its event loop). A handle holds the key schedule and GCM tables of the instance that used
 * it last: a stream's frames only give it a new nonce; another instance's frame first sets its key. The thread's
 * native block carries key, nonce, associated data and tag, and a stage for units on the heap; direct buffers with a
 * memory address (Netty's pooled ones, the relay's hot path) are sealed and opened where they lie. Only a heap unit
 * larger than any frame goes through a {@link JdkAead} with the same key, which gives the same bytes.
 */
final class GcryptAead extends Aead {

  private static final int KEY = 0;
  private static final int NONCE = 32;
  private static final int SEAL_AAD = 48;
  private static final int OPEN_AAD = 64;
  private static final int MAX_AAD = 16;
  private static final int HANDLE = 80;
  private static final int ZEROS = 128;
  private static final int MAX_PAD = 256;
  private static final int STAGE = ZEROS + MAX_PAD;
  /** The largest unit TT seals: a frame body (payload, padding, tag); datagrams are smaller. */
  private static final int STAGE_LEN = 65535 + MAX_PAD + TAG;
  private static final byte[] NO_KEY = new byte[AeadMethod.KEY_LENGTH];

  /** One thread's cipher handles and native block; closed when the thread's thread-locals are removed. */
  private static final class Handles {
    final ByteBuffer mem = ByteBuffer.allocateDirect(STAGE + STAGE_LEN).order(ByteOrder.LITTLE_ENDIAN);
    final long base = Pointer.nativeValue(Native.getDirectBufferPointer(mem));
    final ByteBuffer stage = mem.slice(STAGE, STAGE_LEN);
    final long stageAddr = base + STAGE;
    final long seal = open();
    final long open = open();
    /** Whose key and associated data each handle holds (null: none yet). */
    GcryptAead sealing;
    GcryptAead opening;

    private long open() {
      if (Gcrypt.gcry_cipher_open(base + HANDLE, Gcrypt.GCRY_CIPHER_AES256, Gcrypt.GCRY_CIPHER_MODE_GCM, 0) != 0) {
        throw new IllegalStateException("libgcrypt: no AES-256-GCM handle");
      }
      return mem.getLong(HANDLE);
    }

    void close() {
      Gcrypt.gcry_cipher_close(seal);
      Gcrypt.gcry_cipher_close(open);
    }
  }

  private static final FastThreadLocal<Handles> HANDLES = new FastThreadLocal<>() {
    @Override
    protected Handles initialValue() {
      return new Handles();
    }

    @Override
    protected void onRemoval(Handles handles) {
      handles.close();
    }
  };

  private final byte[] rawKey;
  private final byte[] rawAad;
  private JdkAead fallback;

  GcryptAead(byte[] key, byte[] aad) {
    if (aad.length > MAX_AAD) {
      throw new IllegalArgumentException("associated data longer than " + MAX_AAD + " bytes");
    }
    this.rawKey = key.clone();
    this.rawAad = aad.clone();
  }

  /** Loaded, and seals, opens and refuses a known frame as the JDK does ({@link KnownAnswer}); checked once. */
  private static final boolean USABLE = Gcrypt.AVAILABLE && KnownAnswer.matchesJdk(GcryptAead::new);

  static boolean available() {
    return USABLE;
  }

  private JdkAead fallback() {
    if (fallback == null) {
      fallback = new JdkAead(AeadMethod.AES_256_GCM, rawKey, rawAad);
    }
    return fallback;
  }

  /** Gives {@code hd} this instance's key (its associated data goes to {@code aadAt}); false if libgcrypt refused. */
  private boolean giveKey(Handles h, long hd, int aadAt) {
    h.mem.put(KEY, rawKey);
    h.mem.put(aadAt, rawAad);
    boolean ok = Gcrypt.setkey(hd, h.base + KEY, AeadMethod.KEY_LENGTH) == 0;
    h.mem.put(KEY, NO_KEY); // the handle holds the schedule; the key need not stay
    return ok;
  }

  /** Where {@code len} bytes of {@code buf} can be read natively: in place in a direct buffer, else in the stage. */
  private static long input(Handles h, ByteBuf buf, int index, int len) {
    if (len == 0) {
      return h.stageAddr; // not read
    }
    if (buf.hasMemoryAddress()) {
      return buf.memoryAddress() + index;
    }
    h.stage.clear().limit(len);
    buf.getBytes(index, h.stage);
    return h.stageAddr;
  }

  /** Copies {@code len} bytes from the start of the stage to {@code dst} at {@code index}. */
  private static void fromStage(Handles h, ByteBuf dst, int index, int len) {
    h.stage.clear().limit(len);
    dst.setBytes(index, h.stage);
  }

  private static long nonce(Handles h, long counter) {
    h.mem.putLong(NONCE, counter); // little-endian counter, then 4 zero bytes
    h.mem.putInt(NONCE + 8, 0);
    return h.base + NONCE;
  }

  @Override
  public void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst) {
    if (zeroPad < 0 || zeroPad > MAX_PAD) {
      throw new IllegalArgumentException("padding out of range: " + zeroPad);
    }
    int outLen = len + zeroPad + TAG;
    boolean directOut = dst.hasMemoryAddress();
    if ((!directOut || (len > 0 && !src.hasMemoryAddress())) && outLen > STAGE_LEN) {
      fallback().seal(counter, src, srcIndex, len, zeroPad, dst);
      return;
    }
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Handles h = HANDLES.get();
    long in = input(h, src, srcIndex, len);
    long out = directOut ? dst.memoryAddress() + w : h.stageAddr; // in place when both are the stage
    long hd = h.seal;
    if (h.sealing != this) {
      h.sealing = giveKey(h, hd, SEAL_AAD) ? this : null;
    }
    boolean ok = h.sealing == this
        && Gcrypt.setiv(hd, nonce(h, counter), AeadMethod.NONCE_LENGTH) == 0
        && Gcrypt.authenticate(hd, h.base + SEAL_AAD, rawAad.length) == 0
        && (len == 0 || Gcrypt.encrypt(hd, out, len, in, len) == 0)
        && (zeroPad == 0 || Gcrypt.encrypt(hd, out + len, zeroPad, h.base + ZEROS, zeroPad) == 0)
        && Gcrypt.gettag(hd, out + len + zeroPad, TAG) == 0;
    if (!ok) {
      h.sealing = null; // keyed again next time
      throw new IllegalStateException("aes-256-gcm seal failed in libgcrypt");
    }
    if (!directOut) {
      fromStage(h, dst, w, outLen);
    }
    dst.writerIndex(w + outLen);
  }

  @Override
  public boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    if (len < TAG) {
      return false;
    }
    boolean directOut = dst.hasMemoryAddress();
    if ((!directOut || !src.hasMemoryAddress()) && len > STAGE_LEN) {
      return fallback().open(counter, src, srcIndex, len, dst);
    }
    int outLen = len - TAG;
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Handles h = HANDLES.get();
    long in = input(h, src, srcIndex, len);
    long out = directOut ? dst.memoryAddress() + w : h.stageAddr; // in place when both are the stage
    long hd = h.open;
    if (h.opening != this) {
      h.opening = giveKey(h, hd, OPEN_AAD) ? this : null;
    }
    boolean ok = h.opening == this
        && Gcrypt.setiv(hd, nonce(h, counter), AeadMethod.NONCE_LENGTH) == 0
        && Gcrypt.authenticate(hd, h.base + OPEN_AAD, rawAad.length) == 0
        && (outLen == 0 || Gcrypt.decrypt(hd, out, outLen, in, outLen) == 0)
        && Gcrypt.checktag(hd, in + outLen, TAG) == 0;
    if (!ok) {
      if (directOut && outLen > 0) {
        dst.setZero(w, outLen); // unauthenticated plaintext is not left behind the writer index
      }
      return false;
    }
    if (!directOut) {
      fromStage(h, dst, w, outLen);
    }
    dst.writerIndex(w + outLen);
    return true;
  }
}
