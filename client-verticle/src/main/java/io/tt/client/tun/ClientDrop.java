package io.tt.client.tun;

/** Why the client's TUN mode dropped a packet or datagram (counted, never logged one by one). */
enum ClientDrop {
  /** No tunnel to the server right now (stream reconnecting). */
  NO_TUNNEL,
  /** The socket or stream cannot take more. */
  BACKLOG,
  /** A datagram of the wrong size, another session, or one that does not open. */
  BAD_DATAGRAM,
  /** A packet number used already or behind the window. */
  REPLAYED,
  /** The server's clock is outside the timestamp window. */
  STALE,
  /** The inner packet is not a well-formed IP packet. */
  BAD_PACKET,
  /** A failure inside the client while handling it. */
  ERROR
}
