package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpOpener;
import io.tt.common.wire.UdpSealer;

import java.net.InetSocketAddress;

/**
 * One client's TUN mode over UDP, known by its session id. A session is not tied to a port or an address: it
 * answers from the port and to the address its last authenticated datagram used, so it follows the client
 * through port jumps and address changes. Event loop (TUN context) only.
 */
final class UdpServerSession implements TunPeer {

  private final long id;
  private final UdpKeyring.Entry key;
  private final UdpOpener opener;
  private final UdpSealer sealer;
  private final UdpServerSessions owner;
  private final LearnedSource learned = new LearnedSource();
  private Channel replyChannel;
  private int replyPort;
  private InetSocketAddress replyTo;
  private long lastHeardMillis;

  UdpServerSession(long id, UdpKeyring.Entry key, UdpOpener opener, UdpSealer sealer, UdpServerSessions owner) {
    this.id = id;
    this.key = key;
    this.opener = opener;
    this.sealer = sealer;
    this.owner = owner;
  }

  long id() {
    return id;
  }

  UdpKeyring.Entry key() {
    return key;
  }

  long lastHeardMillis() {
    return lastHeardMillis;
  }

  /** A datagram of this session (header decrypted to {@code packetNumber}); the datagram is not consumed. */
  void receive(long packetNumber, ByteBuf datagram, Channel ch, int port, InetSocketAddress sender, long now) {
    ByteBuf out = owner.alloc().directBuffer(datagram.readableBytes());
    UdpOpener.Result r = opener.open(packetNumber, datagram, port, now, out);
    accepted(r, out, ch, port, sender, now);
  }

  /**
   * What to do with an opened datagram (also for the first one, which the session table opened while it tried
   * the keys). Owns {@code plain}.
   */
  void accepted(UdpOpener.Result r, ByteBuf plain, Channel ch, int port, InetSocketAddress sender, long now) {
    switch (r) {
      case PACKET, KEEPALIVE -> {
        lastHeardMillis = now;
        replyChannel = ch;
        replyPort = port;
        replyTo = sender;
        if (r == UdpOpener.Result.PACKET) {
          owner.server().toTun(plain, this, learned);
        } else {
          plain.release();
        }
      }
      default -> {
        owner.stats().drop(UdpServerSessions.dropFor(r));
        plain.release();
      }
    }
  }

  @Override
  public void send(ByteBuf packet) {
    Channel ch = replyChannel;
    try {
      if (ch == null || !ch.isActive()) {
        owner.stats().drop(TunDrop.NO_PATH);
        return;
      }
      if (!ch.isWritable()) {
        owner.stats().drop(TunDrop.BACKLOG);
        return;
      }
      int len = packet.readableBytes();
      int room = owner.maxDatagram() - UdpDatagram.length(len, 0);
      int pad = Math.min(Math.max(room, 0), owner.padding().padFor(len, false));
      ByteBufAllocator alloc = owner.alloc();
      ByteBuf out = alloc.directBuffer(UdpDatagram.length(len, pad));
      try {
        sealer.seal(UdpDatagram.TYPE_PACKET, owner.nowMillis() / 1000, packet, pad, replyPort, out);
      } catch (RuntimeException e) {
        out.release();
        throw e;
      }
      ch.write(new DatagramPacket(out, replyTo), ch.voidPromise());
      owner.flusher().needsFlush(ch);
      owner.stats().datagramsOut.increment();
    } finally {
      packet.release();
    }
  }

  /** Frees what the session holds; it is not used afterwards. */
  void release() {
    sealer.release();
  }

  @Override
  public String describe() {
    return "udp session from " + replyTo;
  }
}
