package io.tt.common.crypto;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandle;
import java.util.logging.Logger;

/**
 * GnuPG's libgcrypt (1.10: Debian 12's {@code libgcrypt20}, which apt and systemd depend on) for AES-256-GCM:
 * JNA direct mapping for loading and on JVMs without the Foreign Function API, critical downcalls
 * ({@link ForeignDowncalls}) for the per-frame calls on JDK 22+.
 *
 * <p>Why: a cipher handle keeps its key schedule and GCM tables and takes a new nonce in place, so a frame costs four
 * native calls and no allocation, where the JDK's {@code Cipher.init} allocates about 1.1 KB per frame; and it
 * seals 16 KiB about a third faster than OpenSSL 3.0 on the CPU measured, and end to end costs 0-9 % more CPU
 * than JDK 25's GCM (bench/README.md, change 27).
 *
 * <p>Set the system property {@code tt.crypto=jdk} to never load it.
 */
final class Gcrypt {

  private static final Logger LOG = Logger.getLogger(Gcrypt.class.getName());

  static final boolean AVAILABLE;
  /** "1.10.1" or the like; null when not loaded. */
  static final String VERSION;
  /** "ffm" when the per-frame calls are downcalls of the Foreign Function API, "jna" otherwise. */
  static final String CALLS;

  static final int GCRY_CIPHER_AES256 = 9;
  static final int GCRY_CIPHER_MODE_GCM = 9;
  private static final int GCRYCTL_DISABLE_SECMEM = 37;
  private static final int GCRYCTL_INITIALIZATION_FINISHED = 38;

  private static final MethodHandle SETKEY;
  private static final MethodHandle SETIV;
  private static final MethodHandle AUTHENTICATE;
  private static final MethodHandle ENCRYPT;
  private static final MethodHandle DECRYPT;
  private static final MethodHandle GETTAG;
  private static final MethodHandle CHECKTAG;

  /** gcry_control is variadic: JNA's interface mapping passes its arguments the way C's varargs take them. */
  private interface Control extends Library {
    int gcry_control(int command, Object... args);
  }

  static {
    boolean ok = false;
    String version = null;
    NativeLibrary loaded = null;
    if (!"jdk".equalsIgnoreCase(System.getProperty("tt.crypto", ""))) {
      for (String name : new String[] {"libgcrypt.so.20", "libgcrypt.20.dylib"}) {
        try {
          NativeLibrary lib = NativeLibrary.getInstance(name);
          Native.register(Gcrypt.class, lib);
          long v = gcry_check_version(0); // initialises the library; must come first
          if (v != 0) {
            Control control = Native.load(name, Control.class);
            // No secure memory (TT's keys live in the JVM's heap anyway), and tell it set-up is done.
            control.gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
            control.gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
            version = new Pointer(v).getString(0);
            ok = true;
            loaded = lib;
          }
          break;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
          // try the next name
        }
      }
    }
    AVAILABLE = ok;
    VERSION = version;
    MethodHandle setkey = ForeignDowncalls.intFunction(loaded, "gcry_cipher_setkey", 3);
    MethodHandle setiv = ForeignDowncalls.intFunction(loaded, "gcry_cipher_setiv", 3);
    MethodHandle authenticate = ForeignDowncalls.intFunction(loaded, "gcry_cipher_authenticate", 3);
    MethodHandle encrypt = ForeignDowncalls.intFunction(loaded, "gcry_cipher_encrypt", 5);
    MethodHandle decrypt = ForeignDowncalls.intFunction(loaded, "gcry_cipher_decrypt", 5);
    MethodHandle gettag = ForeignDowncalls.intFunction(loaded, "gcry_cipher_gettag", 3);
    MethodHandle checktag = ForeignDowncalls.intFunction(loaded, "gcry_cipher_checktag", 3);
    boolean all = setkey != null && setiv != null && authenticate != null && encrypt != null && decrypt != null
        && gettag != null && checktag != null;
    // All or none, so that CALLS says how every call is made.
    SETKEY = all ? setkey : null;
    SETIV = all ? setiv : null;
    AUTHENTICATE = all ? authenticate : null;
    ENCRYPT = all ? encrypt : null;
    DECRYPT = all ? decrypt : null;
    GETTAG = all ? gettag : null;
    CHECKTAG = all ? checktag : null;
    CALLS = all ? "ffm" : "jna";
    if (!ok) {
      LOG.fine("libgcrypt not found");
    }
  }

  private Gcrypt() {
  }

  // The per-frame calls: a downcall where there is one. One method per function, each naming its own static final
  // handle, so that C2 inlines the downcall (see Sodium).

  static int setkey(long hd, long key, long keylen) {
    if (SETKEY != null) {
      try {
        return (int) SETKEY.invokeExact(hd, key, keylen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_setkey(hd, key, keylen);
  }

  static int setiv(long hd, long iv, long ivlen) {
    if (SETIV != null) {
      try {
        return (int) SETIV.invokeExact(hd, iv, ivlen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_setiv(hd, iv, ivlen);
  }

  static int authenticate(long hd, long aad, long aadlen) {
    if (AUTHENTICATE != null) {
      try {
        return (int) AUTHENTICATE.invokeExact(hd, aad, aadlen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_authenticate(hd, aad, aadlen);
  }

  static int encrypt(long hd, long out, long outsize, long in, long inlen) {
    if (ENCRYPT != null) {
      try {
        return (int) ENCRYPT.invokeExact(hd, out, outsize, in, inlen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_encrypt(hd, out, outsize, in, inlen);
  }

  static int decrypt(long hd, long out, long outsize, long in, long inlen) {
    if (DECRYPT != null) {
      try {
        return (int) DECRYPT.invokeExact(hd, out, outsize, in, inlen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_decrypt(hd, out, outsize, in, inlen);
  }

  static int gettag(long hd, long tag, long taglen) {
    if (GETTAG != null) {
      try {
        return (int) GETTAG.invokeExact(hd, tag, taglen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_gettag(hd, tag, taglen);
  }

  static int checktag(long hd, long tag, long taglen) {
    if (CHECKTAG != null) {
      try {
        return (int) CHECKTAG.invokeExact(hd, tag, taglen);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return gcry_cipher_checktag(hd, tag, taglen);
  }

  // JNA direct mapping: loading, handles, and the per-frame calls on JVMs without the Foreign Function API.

  static native long gcry_check_version(long required);

  /** Writes the new handle to {@code handleOut}; 0 on success. */
  static native int gcry_cipher_open(long handleOut, int algorithm, int mode, int flags);

  static native void gcry_cipher_close(long hd);

  private static native int gcry_cipher_setkey(long hd, long key, long keylen);

  private static native int gcry_cipher_setiv(long hd, long iv, long ivlen);

  private static native int gcry_cipher_authenticate(long hd, long aad, long aadlen);

  private static native int gcry_cipher_encrypt(long hd, long out, long outsize, long in, long inlen);

  private static native int gcry_cipher_decrypt(long hd, long out, long outsize, long in, long inlen);

  private static native int gcry_cipher_gettag(long hd, long tag, long taglen);

  private static native int gcry_cipher_checktag(long hd, long tag, long taglen);
}
