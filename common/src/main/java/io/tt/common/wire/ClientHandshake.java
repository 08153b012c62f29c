package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;

import java.security.SecureRandom;

/**
 * The client side of a new stream (PROTOCOL.md section 5.1): builds {@code salt || first frame [|| frames]} to
 * send in one write, then reads {@code server salt || first server frame} and checks it answers this request.
 */
public final class ClientHandshake {

  public enum Step { NEED_MORE, ACCEPTED, FAILED }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKey key;
  private final AeadMethod method;
  private final int serverPort;
  private final ByteBufAllocator alloc;
  private final byte[] salt = new byte[Frames.SALT_LENGTH];
  private final FrameEncoder encoder;
  private final byte[] serverSalt = new byte[Frames.SALT_LENGTH];
  private int serverSaltRead;
  private FrameDecoder decoder;
  private ReplyStatus status;
  private Step step = Step.NEED_MORE;

  public ClientHandshake(MasterKey key, AeadMethod method, int serverPort, Padding padding, int chunk,
                         ByteBufAllocator alloc) {
    this(key, method, serverPort, padding, chunk, alloc, randomSalt());
  }

  /** With a chosen salt: vectors and tests only. */
  public ClientHandshake(MasterKey key, AeadMethod method, int serverPort, Padding padding, int chunk,
                         ByteBufAllocator alloc, byte[] salt) {
    this.key = key;
    this.method = method;
    this.serverPort = serverPort;
    this.alloc = alloc;
    System.arraycopy(salt, 0, this.salt, 0, Frames.SALT_LENGTH);
    this.encoder = new FrameEncoder(SessionKeys.streamAead(key, salt, Direction.CLIENT_TO_SERVER, method, serverPort),
        padding, chunk);
  }

  private static byte[] randomSalt() {
    byte[] s = new byte[Frames.SALT_LENGTH];
    RANDOM.nextBytes(s);
    return s;
  }

  /**
   * The opening bytes: salt, then the request with as much of {@code data} (may be null) as fits in the first
   * frame, then the rest of {@code data} in further frames. {@code data} is consumed, not released.
   */
  public ByteBuf hello(ClientRequest request, ByteBuf data) {
    return OpeningBytes.of(alloc, salt, encoder, request.encodedLength(), request::encode, data);
  }


  /**
   * Reads the server's salt and first frame from {@code in}; the first frame's data is appended to {@code out}.
   * On ACCEPTED, bytes left in {@code in} are further frames for {@link #decoder()}.
   */
  public Step feed(ByteBuf in, ByteBuf out) {
    if (step != Step.NEED_MORE) {
      return step;
    }
    if (decoder == null) {
      int take = Math.min(Frames.SALT_LENGTH - serverSaltRead, in.readableBytes());
      in.readBytes(serverSalt, serverSaltRead, take);
      serverSaltRead += take;
      if (serverSaltRead < Frames.SALT_LENGTH) {
        return step;
      }
      decoder = new FrameDecoder(
          SessionKeys.streamAead(key, serverSalt, Direction.SERVER_TO_CLIENT, method, serverPort), alloc);
    }
    ByteBuf first = alloc.heapBuffer(Frames.MAX_PAYLOAD + Frames.MAX_PADDING);
    try {
      FrameDecoder.Result r = decoder.decodeOne(in, first);
      if (r == FrameDecoder.Result.NEED_MORE) {
        return step;
      }
      if (r == FrameDecoder.Result.BAD) {
        step = Step.FAILED;
        return step;
      }
      try {
        status = ServerResponse.decodeAndCheck(first, salt);
      } catch (ProtocolException e) {
        step = Step.FAILED;
        return step;
      }
      out.writeBytes(first);
      step = Step.ACCEPTED;
      return step;
    } finally {
      first.release();
    }
  }

  public byte[] salt() {
    return salt.clone();
  }

  public FrameEncoder encoder() {
    return encoder;
  }

  public FrameDecoder decoder() {
    return decoder;
  }

  public ReplyStatus status() {
    return status;
  }

  public AeadMethod method() {
    return method;
  }
}
