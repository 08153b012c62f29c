package io.tt.common.proxy.socks5;

import io.tt.common.proxy.ConnectFailure;

/** REP values of a SOCKS5 reply (RFC 1928 section 6). */
public enum Socks5ReplyCode {
  SUCCEEDED(0x00),
  GENERAL_FAILURE(0x01),
  NOT_ALLOWED(0x02),
  NETWORK_UNREACHABLE(0x03),
  HOST_UNREACHABLE(0x04),
  CONNECTION_REFUSED(0x05),
  TTL_EXPIRED(0x06),
  COMMAND_NOT_SUPPORTED(0x07),
  ADDRESS_TYPE_NOT_SUPPORTED(0x08);

  private final int code;

  Socks5ReplyCode(int code) {
    this.code = code;
  }

  /** The byte on the wire. */
  public int code() {
    return code;
  }

  /** The reply for a known code, or {@code null} for an unassigned one (0x09..0xFF). */
  public static Socks5ReplyCode fromCode(int code) {
    return code >= 0 && code < values().length ? values()[code] : null;
  }

  /**
   * The reply a client should see when the tunnel to its target failed. Timeouts map to TTL expired, as
   * most SOCKS5 servers do: it is the only "took too long" code RFC 1928 has.
   */
  public static Socks5ReplyCode of(ConnectFailure failure) {
    return switch (failure) {
      case REFUSED -> CONNECTION_REFUSED;
      case HOST_UNREACHABLE -> HOST_UNREACHABLE;
      case NETWORK_UNREACHABLE -> NETWORK_UNREACHABLE;
      case TIMEOUT -> TTL_EXPIRED;
      case NOT_ALLOWED -> NOT_ALLOWED;
      case GENERAL -> GENERAL_FAILURE;
    };
  }
}
