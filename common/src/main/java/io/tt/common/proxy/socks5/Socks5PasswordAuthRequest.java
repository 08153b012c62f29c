package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * RFC 1929 username/password request: {@code VER(1) ULEN(1) UNAME(ULEN) PLEN(1) PASSWD(PLEN)}.
 * Fields are opaque bytes. The password never shows in {@link #toString()}; {@link #clear()} wipes it once checked.
 */
public final class Socks5PasswordAuthRequest {

  /** Version of the sub-negotiation (not of SOCKS). */
  public static final int VERSION = 0x01;

  private final byte[] username;
  private final byte[] password;

  /** @param username 0..255 bytes; @param password 0..255 bytes (RFC 1929 says 1..255; decoding tolerates 0) */
  public Socks5PasswordAuthRequest(byte[] username, byte[] password) {
    if (username.length > 255 || password.length > 255) {
      throw new IllegalArgumentException("RFC 1929 fields are at most 255 bytes");
    }
    this.username = username.clone();
    this.password = password.clone();
  }

  public byte[] username() {
    return username.clone();
  }

  /** A copy: wipe it once used. */
  public byte[] password() {
    return password.clone();
  }

  /** Overwrites the held password with zeros. */
  public void clear() {
    Arrays.fill(password, (byte) 0);
  }

  public void encode(ByteBuf out) {
    out.writeByte(VERSION);
    out.writeByte(username.length);
    out.writeBytes(username);
    out.writeByte(password.length);
    out.writeBytes(password);
  }

  /**
   * Decodes a whole request, or returns {@code null} (nothing consumed) if incomplete.
   *
   * @throws Socks5DecoderException if the sub-negotiation version is not 1
   */
  public static Socks5PasswordAuthRequest decode(ByteBuf in) {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    if (readable < 1) {
      return null;
    }
    if (in.getUnsignedByte(start) != VERSION) {
      throw new Socks5DecoderException("username/password version is not 1", null);
    }
    if (readable < 2) {
      return null;
    }
    int ulen = in.getUnsignedByte(start + 1);
    if (readable < 2 + ulen + 1) {
      return null;
    }
    int plen = in.getUnsignedByte(start + 2 + ulen);
    if (readable < 2 + ulen + 1 + plen) {
      return null;
    }
    byte[] user = new byte[ulen];
    byte[] pass = new byte[plen];
    in.getBytes(start + 2, user);
    in.getBytes(start + 3 + ulen, pass);
    in.skipBytes(3 + ulen + plen);
    Socks5PasswordAuthRequest request = new Socks5PasswordAuthRequest(user, pass);
    Arrays.fill(pass, (byte) 0);
    return request;
  }

  @Override
  public String toString() {
    return "Socks5PasswordAuthRequest[username=" + new String(username, StandardCharsets.UTF_8) + ", password=***]";
  }
}
