package io.tt.common.crypto;

import io.netty.buffer.ByteBuf;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;

/**
 * AEAD through the JDK's providers (AES-GCM uses AES-NI/CLMUL intrinsics).
 *
 * <p>JCA has no way to change a GCM nonce but a re-init, so every seal and open is init + doFinal, and the Cipher
 * carries nothing from one frame to the next: one Cipher per method per thread serves every connection on that
 * thread (a connection stays on its event loop), which saves Cipher.getInstance (a few microseconds) on every new
 * connection and a Cipher's memory per idle tunnel direction. Heap buffers go through the array API. Direct buffers are staged
 * through two heap arrays per thread: the JDK's ByteBuffer path copies a direct input into a new heap array on
 * every call (about the frame's size in garbage per frame, measured with JMH -prof gc), while two memcpys into
 * reused arrays cost less than that and allocate nothing. A direct input into a heap output (a frame or plaintext
 * then sent from its array, {@code io.tt.common.net.HeapSend}) stages only the input.
 */
final class JdkAead extends Aead {

  private static final byte[] ZEROS = new byte[256];
  /** A nonce no TT seal uses (counter nonces end in four zero bytes). */
  private static final byte[] RESET_NONCE = {0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1};
  /** Largest sealed unit: a frame body (payload, padding, tag); datagrams are smaller. */
  private static final int STAGE = 65535 + 256 + TAG;
  /**
   * One Cipher per method and direction per thread, created on first use. Sealing and opening keep separate ones
   * so a bulk stream re-inits with the same key each frame (the JDK then skips the AES key expansion).
   */
  private static final io.netty.util.concurrent.FastThreadLocal<Cipher[]> CIPHERS =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected Cipher[] initialValue() {
          return new Cipher[AeadMethod.values().length * 2];
        }
      };
  /** Per thread (a connection stays on its event loop): [0] input, [1] output. */
  private static final io.netty.util.concurrent.FastThreadLocal<byte[][]> STAGING =
      new io.netty.util.concurrent.FastThreadLocal<>() {
        @Override
        protected byte[][] initialValue() {
          return new byte[][] {new byte[STAGE], new byte[STAGE]};
        }
      };

  private final AeadMethod method;
  private final SecretKeySpec key;
  private final byte[] aad;
  private final byte[] nonce = new byte[AeadMethod.NONCE_LENGTH];
  private final ByteBuffer zeroBuf = ByteBuffer.wrap(ZEROS);

  JdkAead(AeadMethod method, byte[] key, byte[] aad) {
    this.method = method;
    this.key = new SecretKeySpec(key, method == AeadMethod.AES_256_GCM ? "AES" : "ChaCha20");
    this.aad = aad.clone();
    cipher(true); // fails here, not on the first frame, if the JDK lacks the method
  }

  /** The thread's Cipher for this method and direction (sealing and opening keep one each). */
  private Cipher cipher(boolean seal) {
    Cipher[] ciphers = CIPHERS.get();
    int i = method.ordinal() * 2 + (seal ? 0 : 1);
    Cipher c = ciphers[i];
    if (c == null) {
      try {
        c = Cipher.getInstance(method == AeadMethod.AES_256_GCM ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(method + " is not available in this JDK", e);
      }
      ciphers[i] = c;
    }
    return c;
  }

  private AlgorithmParameterSpec spec(long counter) {
    nonce(counter, nonce);
    return method == AeadMethod.AES_256_GCM ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce);
  }

  private AlgorithmParameterSpec resetSpec() {
    return method == AeadMethod.AES_256_GCM ? new GCMParameterSpec(128, RESET_NONCE) : new IvParameterSpec(RESET_NONCE);
  }

  @Override
  public boolean prefersArrays(int length) {
    return true;
  }

  @Override
  public void seal(long counter, ByteBuf src, int srcIndex, int len, int zeroPad, ByteBuf dst) {
    if (zeroPad < 0 || zeroPad > ZEROS.length) {
      throw new IllegalArgumentException("padding out of range: " + zeroPad);
    }
    int outLen = len + zeroPad + TAG;
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Cipher cipher = cipher(true);
    try {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, spec(counter));
      } catch (java.security.InvalidKeyException | java.security.InvalidAlgorithmParameterException e) {
        // The thread's Cipher was last initialised with this key and nonce by another instance (two instances of
        // one key: tests); the JDK refuses that, as it did per instance before. Step through a nonce TT never uses.
        cipher.init(Cipher.ENCRYPT_MODE, key, resetSpec());
        cipher.init(Cipher.ENCRYPT_MODE, key, spec(counter));
      }
      cipher.updateAAD(aad);
      int n;
      if (src.hasArray() && dst.hasArray()) {
        byte[] out = dst.array();
        int o = dst.arrayOffset() + w;
        n = cipher.update(src.array(), src.arrayOffset() + srcIndex, len, out, o);
        n += cipher.doFinal(ZEROS, 0, zeroPad, out, o + n);
      } else if (dst.hasArray() && len + zeroPad <= STAGE - TAG) {
        // A direct input into a heap output (a frame to be sent from the array, HeapSend): stage the input only.
        byte[] in = STAGING.get()[0];
        src.getBytes(srcIndex, in, 0, len);
        System.arraycopy(ZEROS, 0, in, len, zeroPad);
        n = cipher.doFinal(in, 0, len + zeroPad, dst.array(), dst.arrayOffset() + w);
      } else if (len + zeroPad <= STAGE - TAG) {
        byte[][] stage = STAGING.get();
        byte[] in = stage[0];
        byte[] out = stage[1];
        src.getBytes(srcIndex, in, 0, len);
        System.arraycopy(ZEROS, 0, in, len, zeroPad);
        n = cipher.doFinal(in, 0, len + zeroPad, out, 0);
        dst.setBytes(w, out, 0, n);
      } else {
        ByteBuffer in = view(src, srcIndex, len);
        ByteBuffer out = dst.internalNioBuffer(w, outLen);
        if (zeroPad == 0) {
          n = cipher.doFinal(in, out);
        } else {
          n = cipher.update(in, out);
          zeroBuf.clear().limit(zeroPad);
          n += cipher.doFinal(zeroBuf, out);
        }
      }
      if (n != outLen) {
        throw new IllegalStateException("sealed " + n + " bytes, expected " + outLen);
      }
      dst.writerIndex(w + outLen);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(method + " seal failed", e);
    }
  }

  @Override
  public boolean open(long counter, ByteBuf src, int srcIndex, int len, ByteBuf dst) {
    if (len < TAG) {
      return false;
    }
    int outLen = len - TAG;
    dst.ensureWritable(outLen);
    int w = dst.writerIndex();
    Cipher cipher = cipher(false);
    try {
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, spec(counter));
      } catch (java.security.InvalidKeyException | java.security.InvalidAlgorithmParameterException e) {
        // The JDK's ChaCha20 refuses the key and nonce of its previous init, even to decrypt (a frame opened
        // twice: a replayed salt tried right after the original). Step through a nonce TT never uses, then retry.
        cipher.init(Cipher.DECRYPT_MODE, key, resetSpec());
        cipher.init(Cipher.DECRYPT_MODE, key, spec(counter));
      }
      cipher.updateAAD(aad);
      int n;
      if (src.hasArray() && dst.hasArray()) {
        n = cipher.doFinal(src.array(), src.arrayOffset() + srcIndex, len, dst.array(), dst.arrayOffset() + w);
      } else if (dst.hasArray() && len <= STAGE) {
        // A direct input (read from the socket) into a heap output (to be sent from the array): stage the input only.
        byte[] in = STAGING.get()[0];
        src.getBytes(srcIndex, in, 0, len);
        n = cipher.doFinal(in, 0, len, dst.array(), dst.arrayOffset() + w);
      } else if (len <= STAGE) {
        byte[][] stage = STAGING.get();
        src.getBytes(srcIndex, stage[0], 0, len);
        n = cipher.doFinal(stage[0], 0, len, stage[1], 0);
        if (n == outLen) {
          dst.setBytes(w, stage[1], 0, n);
        }
      } else {
        ByteBuffer in = view(src, srcIndex, len);
        ByteBuffer out = dst.internalNioBuffer(w, Math.max(outLen, 0));
        n = cipher.doFinal(in, out);
      }
      if (n != outLen) {
        return false;
      }
      dst.writerIndex(w + outLen);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(method + " open failed", e);
    }
  }

  private static ByteBuffer view(ByteBuf buf, int index, int len) {
    // A composite buffer has no single internal view; those are rare (the codec builds contiguous frames).
    return buf.nioBufferCount() == 1 ? buf.internalNioBuffer(index, len) : buf.nioBuffer(index, len);
  }
}
