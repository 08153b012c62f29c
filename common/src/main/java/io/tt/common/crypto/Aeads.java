package io.tt.common.crypto;

/**
 * Creates the AEAD implementation for a method: native libraries where they are installed and at least as fast
 * without allocating, the JDK otherwise. All give the same bytes (the PROTOCOL.md vectors hold for each).
 *
 * <p>System property {@code tt.crypto}: {@code auto} (default), {@code jdk} (the JDK only), {@code sodium}
 * (libsodium for both methods where available), {@code gcrypt} or {@code openssl} (AES-256-GCM frame bodies by
 * libgcrypt or by OpenSSL). In {@code auto} (measured in bench/README.md, changes 26 and 27):
 * <ul>
 *   <li>ChaCha20-Poly1305 uses libsodium: no allocation, and the same speed on every JDK (JDK 17's own is 5x
 *   slower; JDK 20+ has AVX-512 intrinsics that are 1.25-1.5x faster per seal but allocate about 2 KB each, which
 *   end to end came to 5-8 % of the CPU per GiB).</li>
 *   <li>AES-256-GCM: the 3-byte headers and small frames (up to 2 KiB) go to libsodium ({@link SplitAead}), larger
 *   units to libgcrypt (Debian's {@code libgcrypt20}): within 0-9 % of the CPU of JDK 25's AVX-512 intrinsic end
 *   to end, faster than JDK 17's, and nothing allocated, where every JDK seal or open allocates about 1 KB inside
 *   JCA's init (no public API changes a GCM nonce without it). Without libgcrypt: OpenSSL on JDK 17 (as fast as the JDK there),
 *   the JDK from JDK 18 on (OpenSSL 3.0's GCM took 12-32 % more CPU per GiB than JDK 25's).</li>
 * </ul>
 */
public final class Aeads {

  private static final String MODE = System.getProperty("tt.crypto", "auto").trim().toLowerCase(java.util.Locale.ROOT);

  /** The first JDK whose AES-GCM is faster than OpenSSL 3.0's: 17's is not, 25's is (AVX-512). */
  private static final int JDK_GCM_BEATS_OPENSSL_FROM = 18;

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
    if (method == AeadMethod.AES_256_GCM && !"jdk".equals(MODE) && !"sodium".equals(MODE)) {
      Aead large = switch (aesBodies()) {
        case "gcrypt" -> new GcryptAead(key, aad);
        case "openssl" -> new OpenSslAead(key, aad);
        default -> new JdkAead(method, key, aad);
      };
      return SodiumAead.supports(method) ? new SplitAead(new SodiumAead(method, key, aad), large) : large;
    }
    return useSodium(method) ? new SodiumAead(method, key, aad) : new JdkAead(method, key, aad);
  }

  /** Who seals AES-256-GCM units over {@link SplitAead#SMALL} here: "gcrypt", "openssl" or "jdk". */
  private static String aesBodies() {
    switch (MODE) {
      case "gcrypt":
        return GcryptAead.available() ? "gcrypt" : "jdk";
      case "openssl":
        return OpenSslAead.available() ? "openssl" : "jdk";
      default:
        if (GcryptAead.available()) {
          return "gcrypt";
        }
        return OpenSslAead.available() && Runtime.version().feature() < JDK_GCM_BEATS_OPENSSL_FROM ? "openssl" : "jdk";
    }
  }

  /** Which implementation serves a method here, for the logs and the bench's report. */
  public static String implementation(AeadMethod method) {
    if (method == AeadMethod.AES_256_GCM && !"jdk".equals(MODE) && !"sodium".equals(MODE)) {
      String large = switch (aesBodies()) {
        case "gcrypt" -> "libgcrypt " + Gcrypt.VERSION + " via " + Gcrypt.CALLS;
        case "openssl" -> OpenSsl.VERSION + " via " + OpenSsl.CALLS;
        default -> "jdk";
      };
      return SodiumAead.supports(method)
          ? large + " (units over " + SplitAead.SMALL + " B) + libsodium " + Sodium.VERSION + " via " + Sodium.CALLS
              + " (headers, small frames)"
          : large;
    }
    return useSodium(method) ? "libsodium " + Sodium.VERSION + " via " + Sodium.CALLS : "jdk";
  }

  /** "aes-256-gcm by jdk (...), chacha20-poly1305 by libsodium ...": which implementation serves each method. */
  public static String describe(java.util.List<AeadMethod> methods) {
    return methods.stream().map(m -> m.wireName() + " by " + implementation(m))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * Creates the named implementation regardless of the default (benchmarks and tests): "jdk", "sodium", "openssl"
   * or "gcrypt" (AES-256-GCM only, every unit), or "auto".
   */
  public static Aead create(String impl, AeadMethod method, byte[] key, byte[] aad) {
    if ("auto".equals(impl)) {
      return create(method, key, aad);
    }
    if ("openssl".equals(impl)) {
      if (method != AeadMethod.AES_256_GCM || !OpenSslAead.available()) {
        throw new IllegalStateException("OpenSSL " + method + " is not available here");
      }
      return new OpenSslAead(key, aad);
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

  /** Whether OpenSSL's AES-256-GCM can serve on this machine (libcrypto found). */
  public static boolean openSslAvailable() {
    return OpenSslAead.available();
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
