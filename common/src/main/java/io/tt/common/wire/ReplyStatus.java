package io.tt.common.wire;

/** The status byte of the server's first frame; codes match SOCKS5 reply codes so the client can pass them on. */
public enum ReplyStatus {
  OK(0x00),
  GENERAL_FAILURE(0x01),
  NOT_ALLOWED(0x02),
  NETWORK_UNREACHABLE(0x03),
  HOST_UNREACHABLE(0x04),
  CONNECTION_REFUSED(0x05),
  TTL_EXPIRED(0x06);

  private final int code;

  ReplyStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ReplyStatus of(int code) {
    for (ReplyStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    return GENERAL_FAILURE;
  }

  /** Maps a connect failure to the closest status. */
  public static ReplyStatus ofConnectFailure(Throwable t) {
    String name = t.getClass().getSimpleName();
    String msg = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (msg.contains("refused")) {
      return CONNECTION_REFUSED;
    }
    if (name.contains("Timeout") || msg.contains("timed out")) {
      return TTL_EXPIRED;
    }
    if (name.contains("UnknownHost") || msg.contains("no route to host") || msg.contains("failed to resolve")
        || msg.contains("host is unreachable")) {
      return HOST_UNREACHABLE;
    }
    if (msg.contains("network is unreachable")) {
      return NETWORK_UNREACHABLE;
    }
    return GENERAL_FAILURE;
  }
}
