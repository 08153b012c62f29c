package io.tt.common.proxy.socks5;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.TargetAddress;

import java.util.Objects;

/**
 * A SOCKS5 reply: {@code VER(5) REP(1) RSV(0) ATYP(1) BND.ADDR BND.PORT(2)} (RFC 1928 section 6).
 * TT's server, not the client, makes the outgoing connection, so the bound address is always 0.0.0.0:0
 * (what most clients ignore anyway).
 */
public record Socks5CommandResponse(Socks5ReplyCode status, TargetAddress bound) {

  /** The bound address TT reports: IPv4 unspecified, port 0. */
  public static final TargetAddress UNSPECIFIED = new TargetAddress("0.0.0.0", 0);

  /** Length of a reply carrying {@link #UNSPECIFIED}. */
  public static final int UNSPECIFIED_LENGTH = 3 + 1 + 4 + 2;

  public Socks5CommandResponse {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(bound, "bound");
  }

  public static Socks5CommandResponse success() {
    return new Socks5CommandResponse(Socks5ReplyCode.SUCCEEDED, UNSPECIFIED);
  }

  public static Socks5CommandResponse failure(Socks5ReplyCode status) {
    return new Socks5CommandResponse(status, UNSPECIFIED);
  }

  public void encode(ByteBuf out) {
    out.writeByte(Socks5InitialRequest.VERSION);
    out.writeByte(status.code());
    out.writeByte(0x00);
    bound.encode(out);
  }

  /** The encoded reply in a new heap buffer. */
  public ByteBuf toByteBuf() {
    ByteBuf out = Unpooled.buffer(3 + bound.encodedLength());
    encode(out);
    return out;
  }

  /**
   * Client side: decodes a reply, or {@code null} (nothing consumed) if incomplete.
   *
   * @throws Socks5DecoderException on a version other than 5, an unassigned REP code or a bad address
   */
  public static Socks5CommandResponse decode(ByteBuf in) {
    int start = in.readerIndex();
    if (in.readableBytes() < 4) {
      return null;
    }
    if (in.getUnsignedByte(start) != Socks5InitialRequest.VERSION) {
      throw new Socks5DecoderException("reply version is not 5", null);
    }
    Socks5ReplyCode status = Socks5ReplyCode.fromCode(in.getUnsignedByte(start + 1));
    if (status == null) {
      throw new Socks5DecoderException("unassigned reply code", null);
    }
    in.readerIndex(start + 3);
    TargetAddress bound;
    try {
      bound = TargetAddress.decode(in);
    } catch (IllegalArgumentException e) {
      in.readerIndex(start);
      throw new Socks5DecoderException("bad bound address", null);
    }
    if (bound == null) {
      in.readerIndex(start);
      return null;
    }
    return new Socks5CommandResponse(status, bound);
  }
}
