package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * AEAD through libsodium ({@link Sodium}): ChaCha20-Poly1305 (IETF, RFC 8439) and, where the CPU has AES-NI and
 * PCLMUL, AES-256-GCM. Direct buffers with a memory address (Netty's pooled direct buffers, the relay's hot path)
 * are sealed and opened in place with no copy and no allocation; anything else (heap or composite buffers: tests,
 * handshakes) goes through a {@link JdkAead} with the same key, which gives the same bytes.
 *
 * <p>Key, nonce and associated data live in one small direct buffer per direction, freed with the instance.
 */
final class SodiumAead extends Aead {

  private static final int KEY = 0;
  private static final int NONCE = 32;
  private static final int AAD = 48;
  private static final int MAX_AAD = 16;

  private final AeadMethod method;
  private final boolean aes;
  /** Key, nonce and associated data in native memory: the nonce's counter is a plain putLong per frame. */
  private final ByteBuffer block = ByteBuffer.allocateDirect(AAD + MAX_AAD).order(ByteOrder.LITTLE_ENDIAN);
  private final long base;
  private final long keyAddr;
  private final long nonceAddr;
  private final long aadAddr;
  private final int aadLen;
  private final byte[] rawKey;
  private final byte[] rawAad;
  private JdkAead fallback;

  SodiumAead(AeadMethod method, byte[] key, byte[] aad) {
    if (aad.length > MAX_AAD) {
      throw new IllegalArgumentException("associated data longer than " + MAX_AAD + " bytes");
    }
    this.method = method;
    this.aes = method == AeadMethod.AES_256_GCM;
    this.base = Pointer.nativeValue(Native.getDirectBufferPointer(block));
    this.keyAddr = base + KEY;
    this.nonceAddr = base + NONCE;
    this.aadAddr = base + AAD;
    this.aadLen = aad.length;
    block.put(KEY, key);
    for (int i = 0; i < aad.length; i++) {
      block.put(AAD + i, aad[i]);
    }
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

  private void nonce(long counter) {
    // little-endian counter, then 4 zero bytes (allocateDirect zeroes them)
    block.putLong(NONCE, counter);
  }

  @Override
  public void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst) {
    if (zeroPad < 0 || zeroPad > 256) {
      throw new IllegalArgumentException("padding out of range: " + zeroPad);
    }
    int outLen = len + zeroPad + TAG;
    dst.ensureWritable(outLen);
    if (!direct(dst) || (len > 0 && !direct(src))) {
      fallback().seal(counter, src, srcIndex, len, zeroPad, dst);
      return;
    }
    int w = dst.writerIndex();
    long out = dst.memoryAddress() + w;
    long in;
    if (zeroPad == 0) {
      in = len == 0 ? out : src.memoryAddress() + srcIndex;
    } else {
      // The padding follows the payload inside one seal: lay both out in the output and seal in place.
      if (len > 0) {
        dst.setBytes(w, src, srcIndex, len);
      }
      dst.setZero(w + len, zeroPad);
      in = out;
    }
    long mlen = (long) len + zeroPad;
    nonce(counter);
    int rc = aes
        ? Sodium.crypto_aead_aes256gcm_encrypt_detached(out, out + mlen, 0, in, mlen, aadAddr, aadLen, 0, nonceAddr, keyAddr)
        : Sodium.crypto_aead_chacha20poly1305_ietf_encrypt_detached(out, out + mlen, 0, in, mlen, aadAddr, aadLen, 0,
            nonceAddr, keyAddr);
    if (rc != 0) {
      throw new IllegalStateException(method + " seal failed");
    }
    dst.writerIndex(w + outLen);
  }

  @Override
  public boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    if (len < TAG) {
      return false;
    }
    int outLen = len - TAG;
    dst.ensureWritable(outLen);
    if (!direct(dst) || !direct(src)) {
      return fallback().open(counter, src, srcIndex, len, dst);
    }
    int w = dst.writerIndex();
    long in = src.memoryAddress() + srcIndex;
    long out = dst.memoryAddress() + w;
    nonce(counter);
    int rc = aes
        ? Sodium.crypto_aead_aes256gcm_decrypt_detached(out, 0, in, outLen, in + outLen, aadAddr, aadLen, nonceAddr, keyAddr)
        : Sodium.crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, 0, in, outLen, in + outLen, aadAddr, aadLen,
            nonceAddr, keyAddr);
    if (rc != 0) {
      return false;
    }
    dst.writerIndex(w + outLen);
    return true;
  }
}
