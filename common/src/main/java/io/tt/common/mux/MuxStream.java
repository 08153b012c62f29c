package io.tt.common.mux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.tt.common.net.HeapSend;
import io.tt.common.wire.ReplyStatus;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.function.Consumer;

/**
 * One stream of a {@link MuxLink}: pipes a local ("plain") socket and the stream's frames, with the stream's flow
 * control. On the client the plain socket is the application's proxy connection, on the server the target
 * connection. Runs on the link's event loop.
 *
 * <p>Plain bytes go out as DATA frames while the peer's window has room and the link's socket is not backed up;
 * otherwise the plain socket is paused (bytes already read beyond the window wait here, bounded by one read). Bytes
 * of the peer go to the plain socket, and their credit goes back to the peer once the plain socket takes them
 * (not while its write queue is full), so what waits here for a slow plain side is bounded by the window.
 */
public final class MuxStream {

  private final MuxLink link;
  private final int id;
  private final MuxWindow window;
  private NetSocketInternal plain;
  /** Writes peer bytes opened into arrays straight from them to the plain socket; null where it cannot. */
  private HeapSend plainSend;
  /** Peer bytes that came before the plain socket was attached (the server's target still connecting). */
  private ByteBuf toPlainEarly;
  /** Plain bytes read beyond the peer's window: sent as credit comes. */
  private ByteBuf held;
  /** The last write to the plain side: the peer's CLOSE closes it once this is done. */
  private Future<Void> lastToPlain = Future.succeededFuture();
  private boolean reading = true;
  /** The plain side ended; CLOSE goes out when {@link #held} is sent. */
  private boolean plainEnded;
  private boolean closed;
  /** Told of the server's REPLY (client only; may be null). */
  private Consumer<ReplyStatus> onReply;
  /** Server: the success REPLY waits to travel with the target's first bytes. */
  private boolean replyHeld;
  private long up;
  private long down;

  MuxStream(MuxLink link, int id, long receiveWindow) {
    this.link = link;
    this.id = id;
    this.window = new MuxWindow(receiveWindow);
  }

  public int id() {
    return id;
  }

  /** Plain bytes sent into the stream so far. */
  public long bytesUp() {
    return up;
  }

  /** Peer bytes written to the plain side so far. */
  public long bytesDown() {
    return down;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Client: what to do with the server's REPLY for this stream. */
  public MuxStream onReply(Consumer<ReplyStatus> handler) {
    this.onReply = handler;
    return this;
  }

  /**
   * Starts piping {@code socket}, which the caller has paused; peer bytes that came before are written first. A
   * stream already closed (the peer's CLOSE came first) closes the socket once those are written.
   */
  public void attach(NetSocketInternal socket) {
    this.plain = socket;
    Channel channel = socket.channelHandlerContext().channel();
    link.plainReads().applyTo(channel);
    plainSend = HeapSend.of(channel);
    if (toPlainEarly != null) {
      ByteBuf e = toPlainEarly;
      toPlainEarly = null;
      writeToPlain(e);
    }
    if (closed) {
      Closing.afterWrites(socket, lastToPlain);
      return;
    }
    socket.messageHandler(this::fromPlain);
    socket.drainHandler(v -> grantDelivered());
    socket.closeHandler(v -> plainEnded());
    socket.exceptionHandler(t -> Closing.hard(socket));
    reading = false;
    updateReading();
  }

  /**
   * Server: the target is connected. Sends the success REPLY now, or, when {@code holdReply} (the client has sent
   * data already, so it waits for the target's answer rather than for the reply), with the target's first bytes.
   */
  public void attachTarget(NetSocketInternal target, boolean holdReply) {
    if (holdReply && !closed) {
      replyHeld = true;
    } else if (!closed) {
      link.sendReply(id, ReplyStatus.OK, null);
    }
    attach(target);
  }

  /** Whether the peer has sent DATA for this stream (server: whether to hold the reply). */
  public boolean peerSpoke() {
    return toPlainEarly != null || down > 0;
  }

  private void fromPlain(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (closed || !in.isReadable()) {
      in.release();
      return;
    }
    if (held != null) {
      // Only while a pause takes effect: keep order behind what already waits.
      held = append(held, in);
      updateReading();
      return;
    }
    int n = in.readableBytes();
    long credit = window.sendCredit();
    if (n <= credit) {
      send(in);
    } else {
      if (credit > 0) {
        send(in.readRetainedSlice((int) credit));
      }
      held = in;
    }
    updateReading();
  }

  private ByteBuf append(ByteBuf first, ByteBuf more) {
    CompositeByteBuf c = first instanceof CompositeByteBuf cb ? cb : link.alloc().compositeBuffer().addComponent(true, first);
    return c.addComponent(true, more);
  }

  private void send(ByteBuf data) {
    int n = data.readableBytes();
    window.sent(n);
    up += n;
    if (replyHeld) {
      replyHeld = false;
      link.sendReply(id, ReplyStatus.OK, data);
    } else {
      link.sendData(id, data);
    }
  }

  /** Counts data that went out with the OPEN (client): it uses the window like any DATA. */
  void sentWithOpen(int n) {
    window.sent(n);
    up += n;
  }

  /** The peer granted more credit. */
  void granted(long increment) {
    if (!window.granted(increment)) {
      link.fail("bad WINDOW increment");
      return;
    }
    sendHeld();
  }

  private void sendHeld() {
    if (held != null && !closed) {
      long credit = window.sendCredit();
      if (credit >= held.readableBytes()) {
        ByteBuf h = held;
        held = null;
        send(h);
      } else if (credit > 0) {
        send(held.readRetainedSlice((int) credit));
      }
    }
    if (plainEnded && held == null && !closed) {
      finishAfterPlainEnded();
      return;
    }
    updateReading();
  }

  /** Pauses or resumes the plain socket: read only while the window has room and the link can take more. */
  void updateReading() {
    NetSocketInternal p = plain;
    if (p == null || closed) {
      return;
    }
    boolean want = held == null && !plainEnded && window.sendCredit() > 0 && !link.isBackedUp();
    if (want != reading) {
      reading = want;
      if (want) {
        p.resume();
      } else {
        p.pause();
      }
    }
  }

  /** DATA from the peer (a retained slice; released here). */
  void onData(ByteBuf data) {
    int n = data.readableBytes();
    if (!window.received(n)) {
      data.release();
      link.fail("stream window exceeded");
      return;
    }
    if (closed) {
      data.release();
      return;
    }
    if (plain == null) {
      // Bounded by the window: the peer cannot send more than that before credit comes back.
      toPlainEarly = toPlainEarly == null ? data : append(toPlainEarly, data);
      return;
    }
    writeToPlain(data);
  }

  private void writeToPlain(ByteBuf data) {
    int n = data.readableBytes();
    down += n;
    if (plainSend != null && !plain.writeQueueFull()) {
      plainSend.send(data); // consumes what the socket took at once
    }
    if (data.isReadable()) {
      lastToPlain = plain.writeMessage(data);
    } else {
      data.release();
    }
    window.delivered(n);
    if (!plain.writeQueueFull()) {
      grantDelivered();
    }
  }

  /** Gives the peer back the credit of bytes the plain side took (and, the first time, the full window). */
  private void grantDelivered() {
    if (closed) {
      return;
    }
    long grant = window.takeGrant();
    if (grant > 0) {
      link.sendWindow(id, grant);
    }
  }

  /** Client: the server's REPLY. A refusal ends the stream (after the handler, which may still write). */
  void onReply(ReplyStatus status) {
    Consumer<ReplyStatus> h = onReply;
    if (h != null) {
      h.accept(status);
    }
    if (status != ReplyStatus.OK) {
      closeLocally();
    }
  }

  private void plainEnded() {
    if (closed) {
      return;
    }
    plainEnded = true;
    if (held == null) {
      finishAfterPlainEnded();
    }
  }

  private void finishAfterPlainEnded() {
    if (replyHeld) {
      replyHeld = false;
      link.sendReply(id, ReplyStatus.OK, null);
    }
    closed = true;
    link.streamEnded(this, true);
  }

  /** The peer's CLOSE: deliver what came, then close the plain side. Nothing more is sent for this stream. */
  void onPeerClose() {
    if (closed) {
      return;
    }
    closeLocally();
  }

  /**
   * Ends the stream here without a CLOSE frame (the peer's CLOSE, or a refusal): the plain side is closed once
   * what was written to it is out.
   */
  void closeLocally() {
    if (closed) {
      return;
    }
    closed = true;
    if (held != null) {
      held.release();
      held = null;
    }
    link.streamEnded(this, false);
    if (plain != null) {
      Closing.afterWrites(plain, lastToPlain);
    }
  }

  /**
   * Ends the stream from this side: closes the plain socket (whose close sends the CLOSE), or, with none attached
   * yet, sends the CLOSE now.
   */
  public void cancel() {
    if (closed) {
      return;
    }
    if (plain != null) {
      plain.close();
      return;
    }
    if (toPlainEarly != null) {
      toPlainEarly.release();
      toPlainEarly = null;
    }
    finishAfterPlainEnded();
  }

  /** The link is gone: drop everything and close the plain side at once. */
  void abort() {
    closed = true;
    if (held != null) {
      held.release();
      held = null;
    }
    if (toPlainEarly != null) {
      toPlainEarly.release();
      toPlainEarly = null;
    }
    if (plain != null) {
      Closing.hard(plain);
    }
  }
}
