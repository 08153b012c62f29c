package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.util.NetUtil;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a proxied connection goes: a host (domain name or IP literal) and a port.
 *
 * <p>On the wire (SOCKS5 requests and TT's first frame) it uses the SOCKS5 address form of RFC 1928:
 * {@code ATYP(1) ADDR PORT(2, big-endian)} with ATYP 1 = IPv4 (4 bytes), 3 = domain (1 length byte then
 * 1..255 bytes), 4 = IPv6 (16 bytes).
 */
public record TargetAddress(String host, int port) {

  public static final int ATYP_IPV4 = 0x01;
  public static final int ATYP_DOMAIN = 0x03;
  public static final int ATYP_IPV6 = 0x04;

  /** Longest encoding: ATYP + length byte + 255 name bytes + port. */
  public static final int MAX_ENCODED_LENGTH = 1 + 1 + 255 + 2;

  public TargetAddress {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  /** Parses {@code host:port}, {@code [v6]:port} or {@code v6literal} forms used on command lines. */
  public static TargetAddress parse(String hostPort, int defaultPort) {
    String s = hostPort.trim();
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ']' in " + s);
      }
      String host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (rest.isEmpty()) {
        return new TargetAddress(host, defaultPort);
      }
      if (!rest.startsWith(":")) {
        throw new IllegalArgumentException("expected ':' after ']' in " + s);
      }
      return new TargetAddress(host, parsePort(rest.substring(1)));
    }
    int colon = s.lastIndexOf(':');
    if (colon < 0 || s.indexOf(':') != colon) {
      // no port, or a bare IPv6 literal
      return new TargetAddress(s, defaultPort);
    }
    return new TargetAddress(s.substring(0, colon), parsePort(s.substring(colon + 1)));
  }

  private static int parsePort(String p) {
    try {
      int port = Integer.parseInt(p);
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + p);
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a port number: " + p);
    }
  }

  /** Number of bytes {@link #encode} writes. */
  public int encodedLength() {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip != null) {
      return 1 + ip.length + 2;
    }
    return 1 + 1 + host.getBytes(StandardCharsets.US_ASCII).length + 2;
  }

  /** Writes the SOCKS5 address form. */
  public void encode(ByteBuf out) {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip != null) {
      out.writeByte(ip.length == 4 ? ATYP_IPV4 : ATYP_IPV6);
      out.writeBytes(ip);
    } else {
      byte[] name = host.getBytes(StandardCharsets.US_ASCII);
      if (name.length > 255) {
        throw new IllegalArgumentException("domain name longer than 255 bytes");
      }
      out.writeByte(ATYP_DOMAIN);
      out.writeByte(name.length);
      out.writeBytes(name);
    }
    out.writeShort(port);
  }

  /**
   * Reads the SOCKS5 address form.
   *
   * @return the address, or {@code null} if {@code in} does not yet hold a whole address (nothing is consumed then)
   * @throws IllegalArgumentException on an unknown address type or an empty domain name
   */
  public static TargetAddress decode(ByteBuf in) {
    int start = in.readerIndex();
    if (in.readableBytes() < 1) {
      return null;
    }
    int atyp = in.getUnsignedByte(start);
    int need;
    switch (atyp) {
      case ATYP_IPV4 -> need = 1 + 4 + 2;
      case ATYP_IPV6 -> need = 1 + 16 + 2;
      case ATYP_DOMAIN -> {
        if (in.readableBytes() < 2) {
          return null;
        }
        int len = in.getUnsignedByte(start + 1);
        if (len == 0) {
          throw new IllegalArgumentException("empty domain name");
        }
        need = 2 + len + 2;
      }
      default -> throw new IllegalArgumentException("unknown address type " + atyp);
    }
    if (in.readableBytes() < need) {
      return null;
    }
    String host;
    if (atyp == ATYP_DOMAIN) {
      int len = in.getUnsignedByte(start + 1);
      host = in.toString(start + 2, len, StandardCharsets.US_ASCII);
    } else {
      byte[] ip = new byte[atyp == ATYP_IPV4 ? 4 : 16];
      in.getBytes(start + 1, ip);
      host = NetUtil.bytesToIpAddress(ip);
    }
    int port = in.getUnsignedShort(start + need - 2);
    in.readerIndex(start + need);
    return new TargetAddress(host, port);
  }

  /** {@code host:port}, with brackets around IPv6 literals. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
