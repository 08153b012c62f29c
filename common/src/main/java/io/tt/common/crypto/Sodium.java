package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.util.logging.Logger;

/**
 * libsodium's AEADs through JNA direct mapping (the cheapest JNA call: primitive arguments only, pointers passed as
 * addresses). Loaded once; {@link #AVAILABLE} is false when the library is missing (then the JDK serves),
 * {@link #AES_AVAILABLE} also needs AES-NI and PCLMUL (libsodium checks the CPU).
 *
 * <p>Set the system property {@code tt.crypto=jdk} to never load it.
 */
final class Sodium {

  private static final Logger LOG = Logger.getLogger(Sodium.class.getName());

  static final boolean AVAILABLE;
  static final boolean AES_AVAILABLE;
  static final String VERSION;

  static {
    boolean ok = false;
    boolean aes = false;
    String version = null;
    if (!"jdk".equalsIgnoreCase(System.getProperty("tt.crypto", ""))) {
      for (String name : new String[] {"sodium", "libsodium.so.23", "libsodium.so.26", "libsodium.dylib"}) {
        try {
          NativeLibrary lib = NativeLibrary.getInstance(name);
          Native.register(Sodium.class, lib);
          if (sodium_init() >= 0) {
            ok = true;
            aes = crypto_aead_aes256gcm_is_available() == 1;
            version = new com.sun.jna.Pointer(sodium_version_string()).getString(0);
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
    if (!ok) {
      LOG.fine("libsodium not found: the JDK's ciphers serve (apt-get install libsodium23 for faster chacha20)");
    }
  }

  private Sodium() {
  }

  static native int sodium_init();

  static native long sodium_version_string();

  static native int crypto_aead_aes256gcm_is_available();

  static native int crypto_aead_chacha20poly1305_ietf_encrypt_detached(long c, long mac, long maclenP, long m,
      long mlen, long ad, long adlen, long nsec, long npub, long k);

  static native int crypto_aead_chacha20poly1305_ietf_decrypt_detached(long m, long nsec, long c, long clen,
      long mac, long ad, long adlen, long npub, long k);

  static native int crypto_aead_aes256gcm_encrypt_detached(long c, long mac, long maclenP, long m,
      long mlen, long ad, long adlen, long nsec, long npub, long k);

  static native int crypto_aead_aes256gcm_decrypt_detached(long m, long nsec, long c, long clen,
      long mac, long ad, long adlen, long npub, long k);
}
