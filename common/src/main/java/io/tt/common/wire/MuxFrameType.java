package io.tt.common.wire;

/** The type in a mux frame's header (PROTOCOL.md section 5.3). */
public enum MuxFrameType {
  /** Discarded by the receiver: cover traffic and keep-alives. Stream 0. */
  NOOP(0x00),
  /**
   * Client to server: open a stream; the payload is flags (1), the target (SOCKS5 address form), its first data.
   */
  OPEN(0x01),
  /** Server to client: the outcome of an OPEN, one status byte (section 5.2's codes). */
  REPLY(0x02),
  /** Bytes of the stream. */
  DATA(0x03),
  /** The sender's side of the stream ended after the DATA before it; the stream is over for both. */
  CLOSE(0x04),
  /** Four bytes, big-endian: more DATA bytes the receiver of this frame may send on the stream. */
  WINDOW(0x05);

  private static final MuxFrameType[] BY_CODE = values();

  private final int code;

  MuxFrameType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** @return the type, or null for an unknown code */
  public static MuxFrameType of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
