package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.tt.common.tun.IpPacket;

/**
 * The inner source addresses a client last sent from (one IPv4, one IPv6), kept by the client's session so that
 * the route table is only touched when one changes, not for every packet. Written by the session's thread only.
 */
final class LearnedSource {

  private boolean hasV4;
  private int v4;
  private boolean hasV6;
  private long v6High;
  private long v6Low;

  /** Whether the packet's source differs from the one learned last for its IP version. */
  boolean changed(ByteBuf packet) {
    if (IpPacket.version(packet) == 4) {
      return !hasV4 || IpPacket.ipv4Source(packet) != v4;
    }
    return !hasV6 || IpPacket.ipv6SourceHigh(packet) != v6High || IpPacket.ipv6SourceLow(packet) != v6Low;
  }

  void remember(ByteBuf packet) {
    if (IpPacket.version(packet) == 4) {
      hasV4 = true;
      v4 = IpPacket.ipv4Source(packet);
    } else {
      hasV6 = true;
      v6High = IpPacket.ipv6SourceHigh(packet);
      v6Low = IpPacket.ipv6SourceLow(packet);
    }
  }
}
