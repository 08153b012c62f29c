package io.tt.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import io.tt.common.mux.MuxLink;
import io.tt.common.mux.MuxStream;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.ReplyStatus;
import io.vertx.core.internal.net.NetSocketInternal;

import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * One client TT connection carrying streams (PROTOCOL.md section 5.3). Streams asked for while it is dialled wait
 * (their applications' first bytes gather meanwhile) and go out as soon as the TCP connection is up, without
 * waiting for the server's answer; the server's first frame is checked when it comes, and a bad one ends every
 * stream. Belongs to one {@link MuxPool}, on its event loop.
 */
final class MuxConnection implements MuxLink.Peer {

  private static final Logger LOG = Logger.getLogger(MuxConnection.class.getName());

  /** A proxied connection waiting for its stream. */
  interface Request {
    /** Bytes the application sent so far, to travel with the OPEN (may be null); the caller releases them. */
    ByteBuf takeEarly();

    /** The stream is open (OPEN sent); attach the application's socket to it. */
    void opened(MuxStream stream);

    /** No stream: the connection to the server failed or closed first. */
    void failed(Throwable cause);

    io.tt.common.proxy.TargetAddress target();

    /** Whether the application goes on without the server's success reply (SOCKS5, answered at once). */
    boolean holdsReply();

    /** False once the application has gone: no stream is opened for it. */
    boolean wanted();
  }

  private final MuxPool pool;
  /** The slot it was dialled in: it takes new streams only in that slot (the port moves on after). */
  final long slot;
  private final ArrayDeque<Request> waiting = new ArrayDeque<>();
  private MuxLink link;
  private ClientHandshake handshake;
  private boolean closed;
  private boolean retiring;

  MuxConnection(MuxPool pool, long slot) {
    this.pool = pool;
    this.slot = slot;
  }

  void dial(TunnelDialer dialer) {
    dialer.dial(ClientRequest::mux, (ByteBuf) null).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      TunnelDialer.Dialed d = ar.result();
      if (closed) {
        d.socket().close();
        return;
      }
      connected(d);
    });
  }

  private void connected(TunnelDialer.Dialed d) {
    handshake = d.handshake();
    handshake.encoder().startMux();
    NetSocketInternal so = d.socket();
    link = new MuxLink(so, handshake.encoder(), false, pool.receiveWindow(), this);
    so.messageHandler(this::serverHello);
    pool.cover(link);
    LOG.fine(() -> "mux connection to " + d.server().getHostAddress() + ":" + d.port());
    while (!waiting.isEmpty() && !link.isClosed()) {
      openNow(waiting.poll());
    }
  }

  /** The server's salt and first frame: it must echo ours and say OK; then mux frames follow. */
  private void serverHello(Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ByteBuf none = in.alloc().heapBuffer(0);
    ClientHandshake.Step step;
    try {
      step = handshake.feed(in, none);
    } finally {
      none.release();
    }
    if (step == ClientHandshake.Step.NEED_MORE) {
      in.release();
      return;
    }
    if (step == ClientHandshake.Step.FAILED || handshake.status() != ReplyStatus.OK) {
      in.release();
      LOG.fine(() -> "server refused the mux connection: "
          + (step == ClientHandshake.Step.FAILED ? "bad reply" : handshake.status()));
      link.close();
      return;
    }
    handshake.decoder().startMux();
    link.start(handshake.decoder(), in);
  }

  /** Whether a new stream may go here now. */
  boolean takesStreams(long slotNow, int maxStreams) {
    return !closed && !retiring && slot == slotNow && load() < maxStreams
        && (link == null || link.streamsOpened() < Integer.MAX_VALUE - 1);
  }

  private int load() {
    return waiting.size() + (link == null ? 0 : link.streamCount());
  }

  void open(Request r) {
    if (link == null) {
      waiting.add(r);
    } else {
      openNow(r);
    }
  }

  private void openNow(Request r) {
    if (!r.wanted()) {
      return;
    }
    ByteBuf early = r.takeEarly();
    MuxStream s;
    try {
      s = link.open(r.target(), early, r.holdsReply());
    } finally {
      ReferenceCountUtil.release(early);
    }
    r.opened(s);
  }

  /** No new streams from now on; closes when the last one ends (at once if there is none). */
  void retire() {
    retiring = true;
    if (load() == 0) {
      close();
    }
  }

  /** Idle (no stream) for longer than {@code nanos}. */
  boolean idleLongerThan(long nanos) {
    return link != null && load() == 0 && System.nanoTime() - link.idleSinceNanos() > nanos;
  }

  void close() {
    if (link != null) {
      link.close();
    } else {
      fail(new IllegalStateException("mux connection closed"));
    }
  }

  private void fail(Throwable cause) {
    if (closed) {
      return;
    }
    closed = true;
    while (!waiting.isEmpty()) {
      waiting.poll().failed(cause);
    }
    pool.closed(this);
  }

  @Override
  public void refused(MuxStream s, ReplyStatus status) {
    if (status == ReplyStatus.NOT_ALLOWED) {
      // The server takes no more streams here (its cap, or this connection's key was rotated out): use a new one.
      retire();
    }
  }

  @Override
  public void streamEnded(MuxStream s) {
    if (retiring && load() == 0 && !closed) {
      close();
    }
  }

  @Override
  public void linkClosed(MuxLink l, boolean protocolError) {
    if (protocolError) {
      LOG.fine("mux connection closed on a protocol error");
    }
    fail(new IllegalStateException("mux connection closed"));
  }
}
