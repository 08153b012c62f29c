package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.tt.common.proxy.TargetAddress;

/**
 * The head of the client's first frame payload: {@code cmd(1) || timestamp(8, unix seconds, BE) || [target]}.
 * Bytes after it in the same payload are the first data for the target.
 */
public record ClientRequest(Command command, long timestampSeconds, TargetAddress target) {

  public ClientRequest {
    if (command == Command.CONNECT && target == null) {
      throw new IllegalArgumentException("CONNECT needs a target");
    }
  }

  public static ClientRequest connect(TargetAddress target, long nowSeconds) {
    return new ClientRequest(Command.CONNECT, nowSeconds, target);
  }

  public static ClientRequest tunStream(long nowSeconds) {
    return new ClientRequest(Command.TUN_STREAM, nowSeconds, null);
  }

  public static ClientRequest mux(long nowSeconds) {
    return new ClientRequest(Command.MUX, nowSeconds, null);
  }

  public int encodedLength() {
    return 1 + 8 + (target == null ? 0 : target.encodedLength());
  }

  public void encode(ByteBuf out) {
    out.writeByte(command.code());
    out.writeLong(timestampSeconds);
    if (command == Command.CONNECT) {
      target.encode(out);
    }
  }

  /**
   * Reads the request head from a whole first-frame payload, leaving the initial data readable.
   *
   * @throws ProtocolException if the payload is not a well-formed request
   */
  public static ClientRequest decode(ByteBuf payload) throws ProtocolException {
    if (payload.readableBytes() < 9) {
      throw new ProtocolException("first frame too short for a request");
    }
    Command cmd = Command.of(payload.readUnsignedByte());
    if (cmd == null) {
      throw new ProtocolException("unknown command");
    }
    long ts = payload.readLong();
    TargetAddress target = null;
    if (cmd == Command.CONNECT) {
      try {
        target = TargetAddress.decode(payload);
      } catch (IllegalArgumentException e) {
        throw new ProtocolException("bad target address: " + e.getMessage());
      }
      if (target == null) {
        throw new ProtocolException("truncated target address");
      }
    }
    return new ClientRequest(cmd, ts, target);
  }
}
