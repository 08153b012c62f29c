package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;

/** RFC 1929 reply: {@code VER(1) STATUS(1)}; status 0 is success, anything else failure (then the server closes). */
public record Socks5PasswordAuthResponse(int status) {

  public static final int SUCCESS = 0x00;
  public static final int FAILURE = 0x01;
  public static final int LENGTH = 2;

  public Socks5PasswordAuthResponse {
    if (status < 0 || status > 0xFF) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
  }

  public boolean success() {
    return status == SUCCESS;
  }

  public void encode(ByteBuf out) {
    out.writeByte(Socks5PasswordAuthRequest.VERSION);
    out.writeByte(status);
  }

  /** Client side: decodes a reply, or {@code null} (nothing consumed) if incomplete. */
  public static Socks5PasswordAuthResponse decode(ByteBuf in) {
    if (in.readableBytes() < LENGTH) {
      return null;
    }
    if (in.getUnsignedByte(in.readerIndex()) != Socks5PasswordAuthRequest.VERSION) {
      throw new Socks5DecoderException("username/password reply version is not 1", null);
    }
    in.skipBytes(1);
    return new Socks5PasswordAuthResponse(in.readUnsignedByte());
  }
}
