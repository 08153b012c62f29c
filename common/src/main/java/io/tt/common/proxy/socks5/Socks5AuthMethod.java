package io.tt.common.proxy.socks5;

/** METHOD values of the SOCKS5 greeting (RFC 1928 section 3). */
public final class Socks5AuthMethod {

  public static final int NO_AUTH = 0x00;
  public static final int GSSAPI = 0x01;
  /** Username/password, RFC 1929. */
  public static final int PASSWORD = 0x02;
  /** Server answer when none of the offered methods is acceptable; the client must then close. */
  public static final int NO_ACCEPTABLE = 0xFF;

  private Socks5AuthMethod() {
  }
}
