package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;

import java.util.List;

/**
 * The server side of a new stream, from its first byte to an accepted request or a rejection
 * (PROTOCOL.md section 5.2). Pure logic, fed by the connection handler.
 *
 * <p>It decides only at fixed points, never by where bytes went wrong: after exactly {@link Frames#FIRST_READ}
 * bytes (salt and first sealed header: authenticate, replay check) and after the first body. Every byte fed
 * before the decision is kept so a rejected connection can be handed whole to the fake site.
 */
public final class ServerHandshake {

  public enum Step { NEED_MORE, ACCEPTED, REJECTED }

  public enum Rejection {
    /** No accepted key opens the first header: a probe, random bytes or a wrong key. */
    BAD_AUTH,
    /**
     * The first segment was shorter than salt plus header, or nothing came by the deadline. A TT client sends
     * both in its first write, so this is a prober; it is handed over at once, as a web server would answer.
     */
    PROBE,
    /** The salt was seen inside the window. */
    REPLAY,
    /** The replay filter is full. */
    REPLAY_FILTER_FULL,
    /** The timestamp is outside the window. */
    EXPIRED,
    /** An authenticated first frame that does not parse. */
    MALFORMED
  }

  /** Bound on what is kept before the decision: first read plus the largest first body. */
  public static final int MAX_HANDSHAKE_BYTES = Frames.FIRST_READ + Frames.MAX_BODY_SEALED;

  private final List<AcceptedKey> keys;
  private final int serverPort;
  private final ReplayFilter replayFilter;
  private final long nowMillis;
  private final long windowMillis;
  private final ByteBufAllocator alloc;

  private final ByteBuf received;
  private int firstFrameEnd;
  private FrameDecoder decoder;
  private AcceptedKey acceptedKey;
  private byte[] salt;
  private ClientRequest request;
  private ByteBuf firstPayload;
  private Rejection rejection;
  private Step step = Step.NEED_MORE;

  /**
   * @param nowMillis the server's clock when the connection arrived
   * @param windowMillis largest accepted |client timestamp - server clock|
   */
  public ServerHandshake(List<AcceptedKey> keys, int serverPort, ReplayFilter replayFilter, long nowMillis,
                         long windowMillis, ByteBufAllocator alloc) {
    this.keys = keys;
    this.serverPort = serverPort;
    this.replayFilter = replayFilter;
    this.nowMillis = nowMillis;
    this.windowMillis = windowMillis;
    this.alloc = alloc;
    this.received = Unpooled.buffer(Frames.FIRST_READ, MAX_HANDSHAKE_BYTES);
  }

  /** Consumes bytes (up to what the handshake needs; the rest stays readable in {@code in}). */
  public Step feed(ByteBuf in) {
    if (step != Step.NEED_MORE) {
      return step;
    }
    if (received.writerIndex() == 0 && in.readableBytes() < Frames.FIRST_READ) {
      // A real client's salt and first header arrive in one segment (the minimum MSS is far larger).
      received.writeBytes(in);
      return reject(Rejection.PROBE);
    }
    if (decoder == null) {
      int take = Math.min(Frames.FIRST_READ - received.writerIndex(), in.readableBytes());
      received.writeBytes(in, take);
      if (received.writerIndex() < Frames.FIRST_READ || !authenticate()) {
        return step;
      }
    }
    // Take only the first body, so later frames stay in the caller's buffer for the relay.
    int take = Math.min(firstFrameEnd - received.writerIndex(), in.readableBytes());
    received.writeBytes(in, take);
    if (received.writerIndex() < firstFrameEnd) {
      return step;
    }
    ByteBuf frame = received.slice(Frames.FIRST_READ, firstFrameEnd - Frames.FIRST_READ);
    ByteBuf payload = alloc.heapBuffer(firstFrameEnd - Frames.FIRST_READ);
    if (decoder.decodeOne(frame, payload) != FrameDecoder.Result.FRAME) {
      payload.release();
      return reject(Rejection.BAD_AUTH);
    }
    try {
      request = ClientRequest.decode(payload);
    } catch (ProtocolException e) {
      payload.release();
      return reject(Rejection.MALFORMED);
    }
    if (Math.abs(request.timestampSeconds() * 1000 - nowMillis) > windowMillis) {
      payload.release();
      return reject(Rejection.EXPIRED);
    }
    firstPayload = payload;
    step = Step.ACCEPTED;
    return step;
  }

  private boolean authenticate() {
    salt = new byte[Frames.SALT_LENGTH];
    received.getBytes(0, salt);
    ByteBuf header = Unpooled.buffer(Frames.HEADER_PLAIN);
    for (AcceptedKey k : keys) {
      Aead aead = SessionKeys.streamAead(k.key(), salt, Direction.CLIENT_TO_SERVER, k.method(), serverPort);
      header.clear();
      if (aead.open(0, received, Frames.SALT_LENGTH, Frames.HEADER_SEALED, header)) {
        acceptedKey = k;
        int payloadLength = header.getUnsignedShort(0);
        int padLength = header.getUnsignedByte(2);
        decoder = FrameDecoder.afterFirstHeader(aead, alloc, payloadLength, padLength);
        firstFrameEnd = Frames.FIRST_READ + payloadLength + padLength + Aead.TAG;
        break;
      }
    }
    if (decoder == null) {
      reject(Rejection.BAD_AUTH);
      return false;
    }
    switch (replayFilter.checkAndRecord(salt, nowMillis)) {
      case FRESH -> {
        return true;
      }
      case REPLAY -> reject(Rejection.REPLAY);
      default -> reject(Rejection.REPLAY_FILTER_FULL);
    }
    return false;
  }

  private Step reject(Rejection why) {
    rejection = why;
    step = Step.REJECTED;
    if (decoder != null) {
      decoder.release();
    }
    return step;
  }

  public Step step() {
    return step;
  }

  public Rejection rejection() {
    return rejection;
  }

  /** Everything read so far: what the fake site gets on rejection. */
  public ByteBuf received() {
    return received;
  }

  public AcceptedKey acceptedKey() {
    return acceptedKey;
  }

  public byte[] salt() {
    return salt;
  }

  public ClientRequest request() {
    return request;
  }

  /** The decoder, positioned after the first frame: the relay keeps using it. */
  public FrameDecoder decoder() {
    return decoder;
  }

  /** The first frame's payload after the request head (first data for the target). Caller releases. */
  public ByteBuf firstData() {
    return firstPayload;
  }
}
