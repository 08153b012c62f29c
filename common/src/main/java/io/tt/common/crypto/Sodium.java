package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandle;
import java.util.logging.Logger;

/**
 * libsodium's AEADs through JNA direct mapping (the cheapest JNA call: primitive arguments only, pointers passed as
 * addresses). Loaded once; {@link #AVAILABLE} is false when the library is missing (then the JDK serves),
 * {@link #AES_AVAILABLE} also needs AES-NI and PCLMUL (libsodium checks the CPU).
 *
 * <p>The four AEAD calls the relay makes per frame go through the JDK's Foreign Function API instead where the JVM
 * has it (JDK 22+, {@link ForeignDowncalls}): JNA stays for loading the library and for the JVMs without it.
 *
 * <p>Set the system property {@code tt.crypto=jdk} to never load it.
 */
final class Sodium {

  private static final Logger LOG = Logger.getLogger(Sodium.class.getName());

  static final boolean AVAILABLE;
  static final boolean AES_AVAILABLE;
  static final String VERSION;
  /** "ffm" when the AEAD calls are downcalls of the Foreign Function API, "jna" otherwise. */
  static final String CALLS;

  private static final MethodHandle AES_SEAL;
  private static final MethodHandle AES_OPEN;
  private static final MethodHandle CHACHA_SEAL;
  private static final MethodHandle CHACHA_OPEN;

  static {
    boolean ok = false;
    boolean aes = false;
    String version = null;
    NativeLibrary loaded = null;
    if (!"jdk".equalsIgnoreCase(System.getProperty("tt.crypto", ""))) {
      for (String name : new String[] {"sodium", "libsodium.so.23", "libsodium.so.26", "libsodium.dylib"}) {
        try {
          NativeLibrary lib = NativeLibrary.getInstance(name);
          Native.register(Sodium.class, lib);
          if (sodium_init() >= 0) {
            ok = true;
            aes = crypto_aead_aes256gcm_is_available() == 1;
            version = new Pointer(sodium_version_string()).getString(0);
            loaded = lib;
          }
          break;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
          // try the next name
        }
      }
    }
    AVAILABLE = ok;
    AES_AVAILABLE = ok && aes;
    VERSION = version;
    MethodHandle aesSeal = ForeignDowncalls.intFunction(loaded, "crypto_aead_aes256gcm_encrypt_detached", 10);
    MethodHandle aesOpen = ForeignDowncalls.intFunction(loaded, "crypto_aead_aes256gcm_decrypt_detached", 9);
    MethodHandle chachaSeal =
        ForeignDowncalls.intFunction(loaded, "crypto_aead_chacha20poly1305_ietf_encrypt_detached", 10);
    MethodHandle chachaOpen =
        ForeignDowncalls.intFunction(loaded, "crypto_aead_chacha20poly1305_ietf_decrypt_detached", 9);
    boolean allFour = aesSeal != null && aesOpen != null && chachaSeal != null && chachaOpen != null;
    // All four or none, so that CALLS says how every call is made.
    AES_SEAL = allFour ? aesSeal : null;
    AES_OPEN = allFour ? aesOpen : null;
    CHACHA_SEAL = allFour ? chachaSeal : null;
    CHACHA_OPEN = allFour ? chachaOpen : null;
    CALLS = allFour ? "ffm" : "jna";
    if (!ok) {
      LOG.fine("libsodium not found: the JDK's ciphers serve (apt-get install libsodium23 for faster chacha20)");
    }
  }

  private Sodium() {
  }

  // The relay's calls: a downcall where there is one. One method per function, each naming its own static final
  // handle: C2 inlines a downcall only through a constant handle (and then drops the JNA branch), which a shared
  // method taking the handle or choosing it by a flag would not give it.

  static int aes256gcmSeal(long c, long mac, long m, long mlen, long ad, long adlen, long npub, long k) {
    if (AES_SEAL != null) {
      try {
        return (int) AES_SEAL.invokeExact(c, mac, 0L, m, mlen, ad, adlen, 0L, npub, k);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return crypto_aead_aes256gcm_encrypt_detached(c, mac, 0, m, mlen, ad, adlen, 0, npub, k);
  }

  static int aes256gcmOpen(long m, long c, long clen, long mac, long ad, long adlen, long npub, long k) {
    if (AES_OPEN != null) {
      try {
        return (int) AES_OPEN.invokeExact(m, 0L, c, clen, mac, ad, adlen, npub, k);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return crypto_aead_aes256gcm_decrypt_detached(m, 0, c, clen, mac, ad, adlen, npub, k);
  }

  static int chacha20poly1305Seal(long c, long mac, long m, long mlen, long ad, long adlen, long npub, long k) {
    if (CHACHA_SEAL != null) {
      try {
        return (int) CHACHA_SEAL.invokeExact(c, mac, 0L, m, mlen, ad, adlen, 0L, npub, k);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return crypto_aead_chacha20poly1305_ietf_encrypt_detached(c, mac, 0, m, mlen, ad, adlen, 0, npub, k);
  }

  static int chacha20poly1305Open(long m, long c, long clen, long mac, long ad, long adlen, long npub, long k) {
    if (CHACHA_OPEN != null) {
      try {
        return (int) CHACHA_OPEN.invokeExact(m, 0L, c, clen, mac, ad, adlen, npub, k);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return crypto_aead_chacha20poly1305_ietf_decrypt_detached(m, 0, c, clen, mac, ad, adlen, npub, k);
  }

  // JNA direct mapping: loading, and the AEAD calls on JVMs without the Foreign Function API.

  static native int sodium_init();

  static native long sodium_version_string();

  static native int crypto_aead_aes256gcm_is_available();

  private static native int crypto_aead_chacha20poly1305_ietf_encrypt_detached(long c, long mac, long maclenP, long m,
      long mlen, long ad, long adlen, long nsec, long npub, long k);

  private static native int crypto_aead_chacha20poly1305_ietf_decrypt_detached(long m, long nsec, long c, long clen,
      long mac, long ad, long adlen, long npub, long k);

  private static native int crypto_aead_aes256gcm_encrypt_detached(long c, long mac, long maclenP, long m,
      long mlen, long ad, long adlen, long nsec, long npub, long k);

  private static native int crypto_aead_aes256gcm_decrypt_detached(long m, long nsec, long c, long clen,
      long mac, long ad, long adlen, long npub, long k);
}
