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
 *   <li>AES-256-GCM uses the JDK for frame bodies: its AES-NI/VAES intrinsic seals 2-3x faster than libsodium
 *   1.0.18, at about 1 KB of short-lived garbage per seal inside JCA's init (no public API changes a GCM nonce
 *   without it); the 3-byte headers and small frames (up to 2 KiB) go to libsodium where it is installed, which
 *   saves a JCA init (about a microsecond and a kilobyte) per frame ({@link SplitAead}).</li>
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
    if (splitAes(method)) {
      return new SplitAead(new SodiumAead(method, key, aad), new JdkAead(method, key, aad));
    }
    return useSodium(method) ? new SodiumAead(method, key, aad) : new JdkAead(method, key, aad);
  }

  /** auto, AES-256-GCM, libsodium's AES available: headers and small frames by libsodium, the rest by the JDK. */
  private static boolean splitAes(AeadMethod method) {
    return "auto".equals(MODE) && method == AeadMethod.AES_256_GCM && SodiumAead.supports(method);
  }

  /** Which implementation serves a method here: "libsodium 1.0.18 via ffm" (or "via jna") or "jdk". */
  public static String implementation(AeadMethod method) {
    if (splitAes(method)) {
      return "jdk (units over " + SplitAead.SMALL + " B) + libsodium " + Sodium.VERSION + " via " + Sodium.CALLS
          + " (headers, small frames)";
    }
    return useSodium(method) ? "libsodium " + Sodium.VERSION + " via " + Sodium.CALLS : "jdk";
  }

  /** "aes-256-gcm by jdk (...), chacha20-poly1305 by libsodium ...": which implementation serves each method. */
  public static String describe(java.util.List<AeadMethod> methods) {
    return methods.stream().map(m -> m.wireName() + " by " + implementation(m))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Creates the named implementation regardless of the default (benchmarks and tests): "jdk", "sodium" or "auto". */
  public static Aead create(String impl, AeadMethod method, byte[] key, byte[] aad) {
    if ("auto".equals(impl)) {
      return create(method, key, aad);
    }
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
