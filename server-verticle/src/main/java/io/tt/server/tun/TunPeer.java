package io.tt.server.tun;

import io.netty.buffer.ByteBuf;

/** One client of the server's TUN mode, reachable over a datagram session or a tunnel stream. */
interface TunPeer {

  /**
   * Sends one IP packet (its readable bytes) to the client. Called on the TUN context; takes ownership of the
   * buffer whatever happens (a packet that cannot go is dropped and counted, as a router would).
   */
  void send(ByteBuf packet);

  /** For logs: "udp session 1a2b.. from 192.0.2.7:40123" (never key material). */
  String describe();
}
