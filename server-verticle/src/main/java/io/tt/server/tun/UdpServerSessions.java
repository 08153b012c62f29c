package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.collection.LongObjectHashMap;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.Direction;
import io.tt.common.wire.Padding;
import io.tt.common.wire.SessionKeys;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpFlusher;
import io.tt.common.wire.UdpHeaderCipher;
import io.tt.common.wire.UdpKeys;
import io.tt.common.wire.UdpOpener;
import io.tt.common.wire.UdpSealer;
import io.tt.server.ServerContext;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The datagram sessions of the server's TUN mode and the dispatch of every datagram that reaches one of its UDP
 * ports (PROTOCOL.md section 8): decrypt the header, find the session, or, for a session id not seen before, try
 * the accepted keys and methods on it. Whatever fails is dropped silently and counted. A session lives for at
 * least twice the timestamp window after its last authenticated datagram. TUN context only.
 */
final class UdpServerSessions {

  private static final Logger LOG = Logger.getLogger(UdpServerSessions.class.getName());
  static final int MAX_SESSIONS = 4096;
  static final int TRIALS_PER_SECOND = 2000;

  private final TunServer server;
  private final ServerContext ctx;
  private final SlotClock clock;
  private final Padding padding;
  private final int maxDatagram;
  private final int maxReceive;
  private final TunServerStats stats;
  private final UdpFlusher flusher;
  private final ByteBufAllocator alloc;
  private final LongObjectHashMap<UdpServerSession> byId = new LongObjectHashMap<>();
  private final TrialBudget trials = new TrialBudget(TRIALS_PER_SECOND);
  private UdpKeyring keyring;

  /** Keys, schedules and the timestamp window are read from {@code ctx} as they are now (live config changes). */
  UdpServerSessions(TunServer server, ServerContext ctx, Padding padding, int maxDatagram, int maxReceive,
                    UdpFlusher flusher, ByteBufAllocator alloc) {
    this.server = server;
    this.ctx = ctx;
    this.keyring = new UdpKeyring(ctx.keys().accepted());
    this.clock = ctx.clock();
    this.padding = padding;
    this.maxDatagram = maxDatagram;
    this.maxReceive = maxReceive;
    this.stats = server.stats();
    this.flusher = flusher;
    this.alloc = alloc;
  }

  /** One datagram from a port's socket; not consumed, not released. */
  void onDatagram(ByteBuf d, Channel ch, int port, InetSocketAddress sender) {
    stats.datagramsIn.increment();
    int len = d.readableBytes();
    if (len < UdpDatagram.MIN_LENGTH || len > maxReceive) {
      stats.drop(TunDrop.SIZE);
      return;
    }
    long now = clock.millis();
    keyring = keyring.follow(ctx.keys().accepted());
    UdpKeyring.Entry[] keys = keyring.entries();
    for (UdpKeyring.Entry k : keys) {
      UdpHeaderCipher h = k.header;
      h.decrypt(d, d.readerIndex());
      UdpServerSession s = byId.get(h.sessionId());
      if (s != null && s.key() == k) {
        s.receive(h.packetNumber(), d, ch, port, sender, now);
        return;
      }
    }
    newSession(d, ch, port, sender, now);
  }

  /** Tries every accepted (key, method) on the first datagram of an unknown session id. */
  private void newSession(ByteBuf d, Channel ch, int port, InetSocketAddress sender, long now) {
    if (byId.size() >= MAX_SESSIONS || !trials.take(now)) {
      stats.drop(TunDrop.LIMIT);
      return;
    }
    for (UdpKeyring.Entry k : keyring.entries()) {
      k.header.decrypt(d, d.readerIndex());
      long id = k.header.sessionId();
      long n = k.header.packetNumber();
      if (n < 0 || byId.containsKey(id)) {
        continue; // not a packet number anyone sends, or a live session of another key
      }
      for (AeadMethod m : k.methods) {
        byte[] c2s = UdpKeys.key(k.master, id, Direction.CLIENT_TO_SERVER, m);
        Aead aead = Aeads.create(m, c2s, SessionKeys.portAad(port));
        ByteBuf plain = alloc.directBuffer(d.readableBytes());
        if (!UdpOpener.tryOpen(aead, n, d, plain)) {
          plain.release();
          continue;
        }
        UdpOpener opener = new UdpOpener(m, c2s, ctx.keys().windowMillis() / 1000, port, aead);
        UdpOpener.Result r = opener.accept(n, now, plain);
        if (r != UdpOpener.Result.PACKET && r != UdpOpener.Result.KEEPALIVE) {
          stats.drop(dropFor(r)); // e.g. a first datagram replayed after its session ended: stale
          plain.release();
          return;
        }
        // Not from 0: a client that outlived a server restart still has this session (and its s2c key).
        UdpSealer sealer = new UdpSealer(k.header, id, m, UdpKeys.key(k.master, id, Direction.SERVER_TO_CLIENT, m),
            UdpDatagram.serverFirstPacketNumber(now));
        UdpServerSession s = new UdpServerSession(id, k, opener, sealer, this);
        byId.put(id, s);
        stats.sessionsOpened.increment();
        s.accepted(r, plain, ch, port, sender, now);
        LOG.info(() -> "TUN: new " + s.describe() + " (" + m + ") on port " + port);
        return;
      }
    }
    stats.drop(TunDrop.UNKNOWN_SESSION);
  }

  /** Ends the sessions not heard from for twice the timestamp window. */
  void sweep() {
    long cutoff = clock.millis() - 2 * ctx.keys().windowMillis();
    List<UdpServerSession> idle = new ArrayList<>();
    for (UdpServerSession s : byId.values()) {
      if (s.lastHeardMillis() < cutoff) {
        idle.add(s);
      }
    }
    for (UdpServerSession s : idle) {
      byId.remove(s.id());
      server.forget(s);
      s.release();
      LOG.fine(() -> "TUN: " + s.describe() + " ended (idle)");
    }
  }

  void closeAll() {
    for (UdpServerSession s : new ArrayList<>(byId.values())) {
      server.forget(s);
      s.release();
    }
    byId.clear();
  }

  int size() {
    return byId.size();
  }

  static TunDrop dropFor(UdpOpener.Result r) {
    return switch (r) {
      case REPLAYED -> TunDrop.REPLAYED;
      case BAD_AUTH -> TunDrop.BAD_AUTH;
      case STALE -> TunDrop.STALE;
      case MALFORMED -> TunDrop.MALFORMED;
      default -> TunDrop.ERROR;
    };
  }

  // ---- what sessions share ----

  TunServer server() {
    return server;
  }

  TunServerStats stats() {
    return stats;
  }

  ByteBufAllocator alloc() {
    return alloc;
  }

  UdpFlusher flusher() {
    return flusher;
  }

  Padding padding() {
    return padding;
  }

  int maxDatagram() {
    return maxDatagram;
  }

  long nowMillis() {
    return clock.millis();
  }
}
