package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;

import java.security.SecureRandom;

/** Builds the server's opening bytes {@code server salt || first frame(request salt, status [, data])}. */
public final class ServerReply {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ServerReply() {
  }

  /** A new encoder for the server-to-client direction, with a fresh random salt written into {@code saltOut}. */
  public static FrameEncoder encoder(MasterKey key, AeadMethod method, int serverPort, Padding padding, int chunk,
                                     byte[] saltOut) {
    RANDOM.nextBytes(saltOut);
    return new FrameEncoder(SessionKeys.streamAead(key, saltOut, Direction.SERVER_TO_CLIENT, method, serverPort),
        padding, chunk);
  }

  /** salt || first frame carrying the response head and {@code data} (may be null; consumed, not released). */
  public static ByteBuf hello(ByteBufAllocator alloc, FrameEncoder encoder, byte[] serverSalt, byte[] requestSalt,
                              ReplyStatus status, ByteBuf data) {
    return OpeningBytes.of(alloc, serverSalt, encoder, ServerResponse.LENGTH,
        new ServerResponse(requestSalt, status)::encode, data);
  }

}
