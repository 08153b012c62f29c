package io.tt.common.wire;

import io.netty.buffer.ByteBuf;

import java.security.MessageDigest;

/**
 * The head of the server's first frame payload: {@code requestSalt(32) || status(1)}. Echoing the client's salt
 * binds the reply to this request, so a recorded reply cannot be pasted onto another connection.
 */
public record ServerResponse(byte[] requestSalt, ReplyStatus status) {

  public static final int LENGTH = Frames.SALT_LENGTH + 1;

  public void encode(ByteBuf out) {
    out.writeBytes(requestSalt);
    out.writeByte(status.code());
  }

  /**
   * Reads and checks the head, leaving the first data readable.
   *
   * @throws ProtocolException if it is short or echoes another salt
   */
  public static ReplyStatus decodeAndCheck(ByteBuf payload, byte[] expectedSalt) throws ProtocolException {
    if (payload.readableBytes() < LENGTH) {
      throw new ProtocolException("server's first frame too short");
    }
    byte[] echo = new byte[Frames.SALT_LENGTH];
    payload.readBytes(echo);
    if (!MessageDigest.isEqual(echo, expectedSalt)) {
      throw new ProtocolException("server's first frame answers another request");
    }
    return ReplyStatus.of(payload.readUnsignedByte());
  }
}
