package io.tt.server.tun;

/** Why the server's TUN mode dropped a datagram or packet (each one counted, none logged one by one). */
enum TunDrop {
  /** A datagram shorter than the smallest valid one or longer than the largest. */
  SIZE,
  /** No session and no accepted key opens it: garbage, a prober, or a client with another key. */
  UNKNOWN_SESSION,
  /** A known session's datagram whose body does not open (tampered, wrong port). */
  BAD_AUTH,
  /** A packet number already used or behind the sliding window. */
  REPLAYED,
  /** The sender's clock is outside the timestamp window. */
  STALE,
  /** Authentic, but its fields make no sense. */
  MALFORMED,
  /** The inner packet is not a well-formed IPv4 or IPv6 packet. */
  BAD_PACKET,
  /** A packet from the TUN device for an address no client has. */
  NO_ROUTE,
  /** The client's last port is closed and it has not been heard from on a new one yet. */
  NO_PATH,
  /** The way to the client (socket buffer, stream queue) is full. */
  BACKLOG,
  /** Too many sessions, or too many unknown datagrams per second to try the keys on. */
  LIMIT,
  /** A failure inside the server while handling it. */
  ERROR
}
