package io.tt.common.crypto;

/**
 * Creates the AEAD implementation for a method: native libraries where they are installed and allocate nothing per
 * frame, the JDK otherwise. All give the same bytes (the PROTOCOL.md vectors hold for each).
 *
 * <p>System property {@code tt.crypto}: {@code auto} (default), {@code jdk} (the JDK only) or {@code sodium}
 * (libsodium for both methods where available). In {@code auto} (measured in bench/README.md, changes 26 and 27):
 * <ul>
 *   <li>ChaCha20-Poly1305 uses libsodium: no allocation, and the same speed on every JDK (JDK 17's own is 5x
 *   slower; JDK 20+ has AVX-512 intrinsics that are 1.25-1.5x faster per seal but allocate about 2 KB each, which
 *   end to end came to 5-8 % of the CPU per GiB).</li>
 *   <li>AES-256-GCM: the 3-byte headers and small frames (up to 2 KiB) go to libsodium ({@link SplitAead}), larger
 *   units to libgcrypt (Debian's {@code libgcrypt20}): within 0-9 % of the CPU of JDK 25's AVX-512 intrinsic end
 *   to end, faster than JDK 17's, and nothing allocated, where every JDK seal or open allocates about 1 KB inside
 *   JCA's init (no public API changes a GCM nonce without it). Without libgcrypt, the JDK.</li>
 * </ul>
 */
public final class Aeads {

  private static final String MODE = System.getProperty("tt.crypto", "auto").trim().toLowerCase(java.util.Locale.ROOT);

  /** auto: AES-256-GCM units over {@link SplitAead#SMALL} are sealed by libgcrypt (decided once). */
  private static final boolean GCRYPT_AES = "auto".equals(MODE) && GcryptAead.available();

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
      Aead large = GCRYPT_AES ? new GcryptAead(key, aad) : new JdkAead(method, key, aad);
      return new SplitAead(new SodiumAead(method, key, aad), large);
    }
    if (GCRYPT_AES && method == AeadMethod.AES_256_GCM) {
      return new GcryptAead(key, aad); // no libsodium: libgcrypt seals the small units too (0.15 us for 3 bytes)
    }
    return useSodium(method) ? new SodiumAead(method, key, aad) : new JdkAead(method, key, aad);
  }

  /** auto, AES-256-GCM, libsodium's AES available: headers and small frames by libsodium, the rest split off. */
  private static boolean splitAes(AeadMethod method) {
    return "auto".equals(MODE) && method == AeadMethod.AES_256_GCM && SodiumAead.supports(method);
  }

  /** Which implementation serves a method here, for the logs and the bench's report. */
  public static String implementation(AeadMethod method) {
    String large = GCRYPT_AES ? "libgcrypt " + Gcrypt.VERSION + " via " + Gcrypt.CALLS : "jdk";
    if (splitAes(method)) {
      return large + " (units over " + SplitAead.SMALL + " B) + libsodium " + Sodium.VERSION + " via " + Sodium.CALLS
          + " (headers, small frames)";
    }
    if (GCRYPT_AES && method == AeadMethod.AES_256_GCM) {
      return large;
    }
    return useSodium(method) ? "libsodium " + Sodium.VERSION + " via " + Sodium.CALLS : "jdk";
  }

  /** "aes-256-gcm by jdk (...), chacha20-poly1305 by libsodium ...": which implementation serves each method. */
  public static String describe(java.util.List<AeadMethod> methods) {
    return methods.stream().map(m -> m.wireName() + " by " + implementation(m))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Creates the named implementation regardless of the default (benchmarks and tests): "jdk", "sodium", "gcrypt"
   * (AES-256-GCM only, every unit) or "auto".
   */
  public static Aead create(String impl, AeadMethod method, byte[] key, byte[] aad) {
    if ("auto".equals(impl)) {
      return create(method, key, aad);
    }
    if ("gcrypt".equals(impl)) {
      if (method != AeadMethod.AES_256_GCM || !GcryptAead.available()) {
        throw new IllegalStateException("libgcrypt " + method + " is not available here");
      }
      return new GcryptAead(key, aad);
    }
    if ("sodium".equals(impl)) {
      if (!SodiumAead.supports(method)) {
        throw new IllegalStateException("libsodium " + method + " is not available here");
      }
      return new SodiumAead(method, key, aad);
    }
    return new JdkAead(method, key, aad);
  }

  /** Whether libgcrypt's AES-256-GCM can serve on this machine. */
  public static boolean gcryptAvailable() {
    return GcryptAead.available();
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
