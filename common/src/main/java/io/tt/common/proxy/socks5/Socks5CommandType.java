package io.tt.common.proxy.socks5;

/** CMD values of a SOCKS5 request (RFC 1928 section 4). TT serves only CONNECT. */
public final class Socks5CommandType {

  public static final int CONNECT = 0x01;
  public static final int BIND = 0x02;
  public static final int UDP_ASSOCIATE = 0x03;

  private Socks5CommandType() {
  }
}
