package io.tt.common.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Who may use the local proxy: anyone ({@link #none()}), or whoever knows one user name and password
 * ({@link #usernamePassword}). The same check serves SOCKS5 (RFC 1929) and HTTP {@code Proxy-Authorization: Basic}.
 *
 * <p>Only SHA-256 digests of the credentials are kept, so the password is not held in clear, and comparing digests
 * of equal length takes the same time whatever the input. Neither the password nor its digest ever appears in
 * {@link #toString()} or in an exception message.
 */
public final class ProxyAuth {

  private static final ProxyAuth NONE = new ProxyAuth(null, null, null);

  /** RFC 1929 carries each field in 1..255 bytes. */
  public static final int MAX_FIELD_BYTES = 255;

  private final String username;
  private final byte[] usernameDigest;
  private final byte[] passwordDigest;

  private ProxyAuth(String username, byte[] usernameDigest, byte[] passwordDigest) {
    this.username = username;
    this.usernameDigest = usernameDigest;
    this.passwordDigest = passwordDigest;
  }

  /** No authentication: every client is accepted. */
  public static ProxyAuth none() {
    return NONE;
  }

  /**
   * One user name and password, compared as UTF-8 bytes.
   *
   * @throws IllegalArgumentException if either is empty or longer than 255 UTF-8 bytes, or the user name holds a
   *     ':' (HTTP Basic could not carry it); the message never contains the password
   */
  public static ProxyAuth usernamePassword(String username, String password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    byte[] pass = password.getBytes(StandardCharsets.UTF_8);
    if (user.length == 0 || user.length > MAX_FIELD_BYTES) {
      throw new IllegalArgumentException("proxy user name must be 1..255 bytes of UTF-8");
    }
    if (username.indexOf(':') >= 0) {
      throw new IllegalArgumentException("proxy user name must not contain ':'");
    }
    if (pass.length == 0 || pass.length > MAX_FIELD_BYTES) {
      throw new IllegalArgumentException("proxy password must be 1..255 bytes of UTF-8");
    }
    return new ProxyAuth(username, sha256(user), sha256(pass));
  }

  /** Whether clients must authenticate. */
  public boolean required() {
    return passwordDigest != null;
  }

  /**
   * Checks raw credential bytes as received (RFC 1929 fields, or the two halves of a Basic token). Always true
   * when no authentication is configured. Both comparisons always run, so timing says nothing about which failed.
   */
  public boolean check(byte[] username, byte[] password) {
    if (!required()) {
      return true;
    }
    if (username == null || password == null) {
      return false;
    }
    boolean userOk = MessageDigest.isEqual(usernameDigest, sha256(username));
    boolean passOk = MessageDigest.isEqual(passwordDigest, sha256(password));
    return userOk & passOk;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JRE", e);
    }
  }

  /** Names the user, never the password. */
  @Override
  public String toString() {
    return required() ? "ProxyAuth[user=" + username + ", password=***]" : "ProxyAuth[none]";
  }
}
