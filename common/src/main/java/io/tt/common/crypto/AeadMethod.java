package io.tt.common.crypto;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The AEAD methods TT speaks. Keys are 32 bytes, nonces 12, tags 16 for both. */
public enum AeadMethod {
  AES_256_GCM("aes-256-gcm"),
  CHACHA20_POLY1305("chacha20-poly1305");

  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private final String wireName;

  AeadMethod(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in config, on the command line and in key-derivation labels. */
  public String wireName() {
    return wireName;
  }

  public static AeadMethod fromName(String name) {
    for (AeadMethod m : values()) {
      if (m.wireName.equalsIgnoreCase(name.trim())) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown method '" + name + "' (expected one of " + names() + ")");
  }

  public static String names() {
    return Arrays.stream(values()).map(AeadMethod::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
