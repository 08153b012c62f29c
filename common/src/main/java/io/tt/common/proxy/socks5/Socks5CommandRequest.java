package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;
import io.tt.common.proxy.TargetAddress;

/**
 * A SOCKS5 request: {@code VER(5) CMD(1) RSV(1) ATYP(1) DST.ADDR DST.PORT(2)} (RFC 1928 section 4).
 * Any CMD byte decodes (refusing BIND/UDP ASSOCIATE is the server's policy); RSV is ignored as the RFC reserves it.
 */
public record Socks5CommandRequest(int command, TargetAddress target) {

  public Socks5CommandRequest {
    if (command < 0 || command > 0xFF) {
      throw new IllegalArgumentException("command out of range: " + command);
    }
  }

  public void encode(ByteBuf out) {
    out.writeByte(Socks5InitialRequest.VERSION);
    out.writeByte(command);
    out.writeByte(0x00);
    target.encode(out);
  }

  /**
   * Decodes a whole request, or returns {@code null} (nothing consumed) if incomplete. Errors are reported as soon
   * as the byte that makes them certain has arrived, so the outcome does not depend on how input was split.
   *
   * @throws Socks5DecoderException with the reply code to send: general failure for a version other than 5 or an
   *     empty domain name, address type not supported for an ATYP other than 1, 3, 4
   */
  public static Socks5CommandRequest decode(ByteBuf in) {
    int start = in.readerIndex();
    int readable = in.readableBytes();
    if (readable < 1) {
      return null;
    }
    if (in.getUnsignedByte(start) != Socks5InitialRequest.VERSION) {
      throw new Socks5DecoderException("request version is not 5", Socks5ReplyCode.GENERAL_FAILURE);
    }
    if (readable < 4) {
      return null;
    }
    int atyp = in.getUnsignedByte(start + 3);
    if (atyp != TargetAddress.ATYP_IPV4 && atyp != TargetAddress.ATYP_DOMAIN && atyp != TargetAddress.ATYP_IPV6) {
      throw new Socks5DecoderException("unknown address type", Socks5ReplyCode.ADDRESS_TYPE_NOT_SUPPORTED);
    }
    if (atyp == TargetAddress.ATYP_DOMAIN && readable >= 5 && in.getUnsignedByte(start + 4) == 0) {
      throw new Socks5DecoderException("empty domain name", Socks5ReplyCode.GENERAL_FAILURE);
    }
    int command = in.getUnsignedByte(start + 1);
    in.readerIndex(start + 3);
    TargetAddress target = TargetAddress.decode(in); // checked above, so it can only return null or an address
    if (target == null) {
      in.readerIndex(start);
      return null;
    }
    return new Socks5CommandRequest(command, target);
  }
}
