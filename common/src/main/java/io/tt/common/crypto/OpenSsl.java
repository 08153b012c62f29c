package io.tt.common.crypto;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.lang.invoke.MethodHandle;
import java.util.logging.Logger;

/**
 * OpenSSL's libcrypto (3.x, or 1.1) for AES-256-GCM through its EVP interface: JNA direct mapping for loading and on
 * JVMs without the Foreign Function API, critical downcalls ({@link ForeignDowncalls}) for the per-frame calls on
 * JDK 22+.
 *
 * <p>Why: JCA has no way to change a GCM nonce but {@code Cipher.init}, and the JDK's init allocates about 1.1 KB
 * (new GCTR, GHASH and engine objects) for every frame sealed or opened. An EVP context keeps its key schedule and
 * takes a new nonce in place, so a frame costs five or six native calls and no allocation; OpenSSL's AES-GCM uses
 * the same AES-NI/VAES and carry-less multiply instructions as the JDK's intrinsic (measured in bench/README.md).
 *
 * <p>Set the system property {@code tt.crypto=jdk} to never load it.
 */
final class OpenSsl {

  private static final Logger LOG = Logger.getLogger(OpenSsl.class.getName());

  static final boolean AVAILABLE;
  /** "OpenSSL 3.0.19 27 Jan 2026" or the like; null when not loaded. */
  static final String VERSION;
  /** "ffm" when the per-frame calls are downcalls of the Foreign Function API, "jna" otherwise. */
  static final String CALLS;

  static final int EVP_CTRL_GCM_GET_TAG = 0x10;
  static final int EVP_CTRL_GCM_SET_TAG = 0x11;

  private static final MethodHandle ENCRYPT_INIT;
  private static final MethodHandle ENCRYPT_UPDATE;
  private static final MethodHandle ENCRYPT_FINAL;
  private static final MethodHandle DECRYPT_INIT;
  private static final MethodHandle DECRYPT_UPDATE;
  private static final MethodHandle DECRYPT_FINAL;
  private static final MethodHandle CTRL;

  static {
    boolean ok = false;
    String version = null;
    NativeLibrary loaded = null;
    if (!"jdk".equalsIgnoreCase(System.getProperty("tt.crypto", ""))) {
      // Versioned names only: on macOS an unversioned "crypto" resolves to /usr/lib/libcrypto.dylib, Apple's stub
      // that aborts the process when loaded.
      for (String name : new String[] {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.3.dylib"}) {
        try {
          NativeLibrary lib = NativeLibrary.getInstance(name);
          Native.register(OpenSsl.class, lib);
          if (EVP_aes_256_gcm() != 0) {
            ok = true;
            version = new Pointer(OpenSSL_version(0)).getString(0);
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
    MethodHandle encInit = downcall(loaded, "EVP_EncryptInit_ex", int.class, long.class, long.class, long.class,
        long.class, long.class);
    MethodHandle encUpdate = downcall(loaded, "EVP_EncryptUpdate", int.class, long.class, long.class, long.class,
        long.class, int.class);
    MethodHandle encFinal = downcall(loaded, "EVP_EncryptFinal_ex", int.class, long.class, long.class, long.class);
    MethodHandle decInit = downcall(loaded, "EVP_DecryptInit_ex", int.class, long.class, long.class, long.class,
        long.class, long.class);
    MethodHandle decUpdate = downcall(loaded, "EVP_DecryptUpdate", int.class, long.class, long.class, long.class,
        long.class, int.class);
    MethodHandle decFinal = downcall(loaded, "EVP_DecryptFinal_ex", int.class, long.class, long.class, long.class);
    MethodHandle ctrl = downcall(loaded, "EVP_CIPHER_CTX_ctrl", int.class, long.class, int.class, int.class,
        long.class);
    boolean all = encInit != null && encUpdate != null && encFinal != null && decInit != null && decUpdate != null
        && decFinal != null && ctrl != null;
    // All or none, so that CALLS says how every call is made.
    ENCRYPT_INIT = all ? encInit : null;
    ENCRYPT_UPDATE = all ? encUpdate : null;
    ENCRYPT_FINAL = all ? encFinal : null;
    DECRYPT_INIT = all ? decInit : null;
    DECRYPT_UPDATE = all ? decUpdate : null;
    DECRYPT_FINAL = all ? decFinal : null;
    CTRL = all ? ctrl : null;
    CALLS = all ? "ffm" : "jna";
    if (!ok) {
      LOG.fine("libcrypto (OpenSSL) not found: the JDK's AES-GCM serves");
    }
  }

  private OpenSsl() {
  }

  private static MethodHandle downcall(NativeLibrary lib, String function, Class<?> ret, Class<?>... args) {
    if (lib == null) {
      return null;
    }
    try {
      return ForeignDowncalls.function(Pointer.nativeValue(lib.getFunction(function)), ret, args);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  // The per-frame calls: a downcall where there is one. One method per function, each naming its own static final
  // handle, so that C2 inlines the downcall (see Sodium).

  static int encryptInit(long ctx, long cipher, long key, long iv) {
    if (ENCRYPT_INIT != null) {
      try {
        return (int) ENCRYPT_INIT.invokeExact(ctx, cipher, 0L, key, iv);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_EncryptInit_ex(ctx, cipher, 0, key, iv);
  }

  static int encryptUpdate(long ctx, long out, long outl, long in, int inl) {
    if (ENCRYPT_UPDATE != null) {
      try {
        return (int) ENCRYPT_UPDATE.invokeExact(ctx, out, outl, in, inl);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_EncryptUpdate(ctx, out, outl, in, inl);
  }

  static int encryptFinal(long ctx, long out, long outl) {
    if (ENCRYPT_FINAL != null) {
      try {
        return (int) ENCRYPT_FINAL.invokeExact(ctx, out, outl);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_EncryptFinal_ex(ctx, out, outl);
  }

  static int decryptInit(long ctx, long cipher, long key, long iv) {
    if (DECRYPT_INIT != null) {
      try {
        return (int) DECRYPT_INIT.invokeExact(ctx, cipher, 0L, key, iv);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_DecryptInit_ex(ctx, cipher, 0, key, iv);
  }

  static int decryptUpdate(long ctx, long out, long outl, long in, int inl) {
    if (DECRYPT_UPDATE != null) {
      try {
        return (int) DECRYPT_UPDATE.invokeExact(ctx, out, outl, in, inl);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_DecryptUpdate(ctx, out, outl, in, inl);
  }

  static int decryptFinal(long ctx, long out, long outl) {
    if (DECRYPT_FINAL != null) {
      try {
        return (int) DECRYPT_FINAL.invokeExact(ctx, out, outl);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_DecryptFinal_ex(ctx, out, outl);
  }

  static int ctrl(long ctx, int type, int arg, long ptr) {
    if (CTRL != null) {
      try {
        return (int) CTRL.invokeExact(ctx, type, arg, ptr);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
    return EVP_CIPHER_CTX_ctrl(ctx, type, arg, ptr);
  }

  // JNA direct mapping: loading, context set-up, and the per-frame calls on JVMs without the Foreign Function API.

  static native long OpenSSL_version(int type);

  static native long EVP_aes_256_gcm();

  static native long EVP_CIPHER_CTX_new();

  static native void EVP_CIPHER_CTX_free(long ctx);

  private static native int EVP_EncryptInit_ex(long ctx, long cipher, long impl, long key, long iv);

  private static native int EVP_EncryptUpdate(long ctx, long out, long outl, long in, int inl);

  private static native int EVP_EncryptFinal_ex(long ctx, long out, long outl);

  private static native int EVP_DecryptInit_ex(long ctx, long cipher, long impl, long key, long iv);

  private static native int EVP_DecryptUpdate(long ctx, long out, long outl, long in, int inl);

  private static native int EVP_DecryptFinal_ex(long ctx, long out, long outl);

  private static native int EVP_CIPHER_CTX_ctrl(long ctx, int type, int arg, long ptr);
}
