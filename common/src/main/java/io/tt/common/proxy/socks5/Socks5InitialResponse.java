package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;

/** The server's method selection: {@code VER(5) METHOD(1)} (RFC 1928 section 3). */
public record Socks5InitialResponse(int method) {

  public static final int LENGTH = 2;

  public Socks5InitialResponse {
    if (method < 0 || method > 0xFF) {
      throw new IllegalArgumentException("method out of range: " + method);
    }
  }

  public void encode(ByteBuf out) {
    out.writeByte(Socks5InitialRequest.VERSION);
    out.writeByte(method);
  }

  /** Client side: decodes a selection, or {@code null} (nothing consumed) if incomplete. */
  public static Socks5InitialResponse decode(ByteBuf in) {
    if (in.readableBytes() < LENGTH) {
      return null;
    }
    if (in.getUnsignedByte(in.readerIndex()) != Socks5InitialRequest.VERSION) {
      throw new Socks5DecoderException("method selection version is not 5", null);
    }
    in.skipBytes(1);
    return new Socks5InitialResponse(in.readUnsignedByte());
  }
}
