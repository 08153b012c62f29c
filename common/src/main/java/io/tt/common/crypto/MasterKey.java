package io.tt.common.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The 32-byte master key stretched from the shared password (PROTOCOL.md section 2.1).
 *
 * <p>Argon2id, fixed parameters, fixed salt: both sides must derive the same key with nothing exchanged.
 * Stretching costs about 0.3 s and 64 MiB once per process; results are cached per password so tests and
 * config reloads that reuse a password do not pay again.
 */
public final class MasterKey {

  public static final byte[] ARGON2_SALT = "TT-THE-TUNNEL-v1".getBytes(StandardCharsets.US_ASCII);
  public static final int ARGON2_MEMORY_KIB = 65536;
  public static final int ARGON2_ITERATIONS = 3;
  public static final int ARGON2_PARALLELISM = 1;
  public static final int LENGTH = 32;

  private static final Map<String, MasterKey> CACHE = new ConcurrentHashMap<>();

  private final byte[] key;
  /** Short, non-secret tag that tells two keys apart in logs (first 4 bytes of SHA-256 of the key). */
  private final String fingerprint;

  private MasterKey(byte[] key) {
    this.key = key;
    this.fingerprint = fingerprintOf(key);
  }

  /** Stretches the password (UTF-8) with Argon2id. */
  public static MasterKey derive(String password) {
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the key must not be empty");
    }
    return CACHE.computeIfAbsent(password, p -> new MasterKey(argon2id(p.getBytes(StandardCharsets.UTF_8))));
  }

  /** Wraps raw key bytes (tests, vectors). */
  public static MasterKey ofRaw(byte[] raw) {
    if (raw.length != LENGTH) {
      throw new IllegalArgumentException("master key must be 32 bytes");
    }
    return new MasterKey(raw.clone());
  }

  static byte[] argon2id(byte[] password) {
    Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withSalt(ARGON2_SALT)
        .withMemoryAsKB(ARGON2_MEMORY_KIB)
        .withIterations(ARGON2_ITERATIONS)
        .withParallelism(ARGON2_PARALLELISM)
        .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[LENGTH];
    gen.generateBytes(password, out);
    return out;
  }

  /** HKDF-SHA256 of this key with the given salt and label. */
  public byte[] subkey(byte[] salt, String label) {
    return Hkdf.sha256(key, salt, label.getBytes(StandardCharsets.US_ASCII), 32);
  }

  /** For vectors and tests only. */
  public byte[] rawForTests() {
    return key.clone();
  }

  public String fingerprint() {
    return fingerprint;
  }

  private static String fingerprintOf(byte[] key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key);
      return java.util.HexFormat.of().formatHex(h, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MasterKey m && MessageDigest.isEqual(key, m.key);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(key);
  }

  /** Never prints the key. */
  @Override
  public String toString() {
    return "MasterKey[" + fingerprint + "]";
  }
}
