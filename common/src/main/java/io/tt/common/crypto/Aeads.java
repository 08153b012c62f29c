package io.tt.common.crypto;

/**
 * Creates the AEAD implementation for a method: libsodium through JNA where it is installed and faster, the JDK
 * otherwise. Both give the same bytes (the PROTOCOL.md vectors hold for each).
 *
 * <p>System property {@code tt.crypto}: {@code auto} (default), {@code jdk} (never libsodium) or {@code sodium}
 * (libsodium for both methods where available). In {@code auto} (measured in bench/README.md):
 * <ul>
 *   <li>ChaCha20-Poly1305 uses libsodium: no allocation, and the same speed on every JDK (JDK 17's own is 5x
 *   slower; JDK 20+ has AVX-512 intrinsics that are 1.25-1.5x faster per seal but allocate about 2 KB each, which
 *   end to end came to 5-8 % of the CPU per GiB).</li>
 *   <li>AES-256-GCM uses the JDK: its AES-NI/VAES intrinsic seals 2-3x faster than libsodium 1.0.18, at about 1 KB
 *   of short-lived garbage per seal inside JCA's init (no public API changes a GCM nonce without it).</li>
 * </ul>
 */
public final class Aeads {

  private static final String MODE = System.getProperty("tt.crypto", "auto").trim().toLowerCase(java.util.Locale.ROOT);

  private Aeads() {
  }

  /**
   * @param key 32-byte key
   * @param aad associated data bound to every frame of this direction (TT: the session's server port)
   */
  public static Aead create(AeadMethod method, byte[] key, byte[] aad) {
    if (key.length != AeadMethod.KEY_LENGTH) {
      throw new IllegalArgumentException("AEAD key must be 32 bytes");
    }
    return useSodium(method) ? new SodiumAead(method, key, aad) : new JdkAead(method, key, aad);
  }

  /** Which implementation serves a method here: "libsodium 1.0.18" or "jdk". */
  public static String implementation(AeadMethod method) {
    return useSodium(method) ? "libsodium " + Sodium.VERSION : "jdk";
  }

  /** Creates the named implementation regardless of the default (benchmarks and tests): "jdk" or "sodium". */
  public static Aead create(String impl, AeadMethod method, byte[] key, byte[] aad) {
    if ("sodium".equals(impl)) {
      if (!SodiumAead.supports(method)) {
        throw new IllegalStateException("libsodium " + method + " is not available here");
      }
      return new SodiumAead(method, key, aad);
    }
    return new JdkAead(method, key, aad);
  }

  /** Whether libsodium serves this method on this machine. */
  public static boolean sodiumAvailable(AeadMethod method) {
    return SodiumAead.supports(method);
  }

  private static boolean useSodium(AeadMethod method) {
    switch (MODE) {
      case "jdk":
        return false;
      case "sodium":
        return SodiumAead.supports(method);
      default:
        return method == AeadMethod.CHACHA20_POLY1305 && SodiumAead.supports(method);
    }
  }
}
