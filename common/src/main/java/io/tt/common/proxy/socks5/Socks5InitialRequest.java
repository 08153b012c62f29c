package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * The client greeting: {@code VER(5) NMETHODS(1) METHODS(NMETHODS)} (RFC 1928 section 3).
 * NMETHODS 0 decodes to a greeting with no methods (well-formed bytes; a server then finds nothing acceptable).
 */
public final class Socks5InitialRequest {

  public static final int VERSION = 0x05;

  private final byte[] methods;

  /** @param methods offered METHOD values, 0..255 of them */
  public Socks5InitialRequest(int... methods) {
    if (methods.length > 255) {
      throw new IllegalArgumentException("at most 255 methods");
    }
    this.methods = new byte[methods.length];
    for (int i = 0; i < methods.length; i++) {
      this.methods[i] = (byte) methods[i];
    }
  }

  private Socks5InitialRequest(byte[] methods) {
    this.methods = methods;
  }

  /** Number of methods offered. */
  public int methodCount() {
    return methods.length;
  }

  /** Whether the client offers this METHOD value. */
  public boolean offers(int method) {
    for (byte m : methods) {
      if ((m & 0xFF) == method) {
        return true;
      }
    }
    return false;
  }

  public void encode(ByteBuf out) {
    out.writeByte(VERSION);
    out.writeByte(methods.length);
    out.writeBytes(methods);
  }

  /**
   * Decodes a whole greeting, or returns {@code null} and consumes nothing if {@code in} does not hold one yet.
   *
   * @throws Socks5DecoderException if the version byte is not 5 (no reply applies: the peer is not SOCKS5)
   */
  public static Socks5InitialRequest decode(ByteBuf in) {
    int start = in.readerIndex();
    if (in.readableBytes() < 1) {
      return null;
    }
    if (in.getUnsignedByte(start) != VERSION) {
      throw new Socks5DecoderException("greeting version is not 5", null);
    }
    if (in.readableBytes() < 2) {
      return null;
    }
    int n = in.getUnsignedByte(start + 1);
    if (in.readableBytes() < 2 + n) {
      return null;
    }
    byte[] methods = new byte[n];
    in.getBytes(start + 2, methods);
    in.skipBytes(2 + n);
    return new Socks5InitialRequest(methods);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Socks5InitialRequest other && Arrays.equals(methods, other.methods);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(methods);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Socks5InitialRequest[methods=");
    for (int i = 0; i < methods.length; i++) {
      sb.append(i == 0 ? "" : ",").append(String.format("0x%02x", methods[i] & 0xFF));
    }
    return sb.append(']').toString();
  }
}
