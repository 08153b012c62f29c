package io.tt.common.wire;

/** What the client's first frame asks for. */
public enum Command {
  /** Open a TCP connection to a target address and relay bytes. */
  CONNECT(0x01),
  /** Carry IP packets, one per frame, for TUN mode over TCP. */
  TUN_STREAM(0x02),
  /** Carry many streams, each opened by a mux OPEN frame (PROTOCOL.md section 5.3); no target. */
  MUX(0x03);

  private final int code;

  Command(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** @return the command, or null for an unknown code */
  public static Command of(int code) {
    return switch (code) {
      case 0x01 -> CONNECT;
      case 0x02 -> TUN_STREAM;
      case 0x03 -> MUX;
      default -> null;
    };
  }
}
