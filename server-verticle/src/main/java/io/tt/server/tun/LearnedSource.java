package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.tt.common.tun.IpPacket;

/**
 * The inner source address a client last sent from, kept by the client's session so that the route table is
 * only touched when it changes, not for every packet. Written by the session's thread only.
 */
final class LearnedSource {

  private int version;
  private int v4;
  private long v6High;
  private long v6Low;

  /** Whether the packet's source differs from the one learned last. */
  boolean changed(ByteBuf packet) {
    int v = IpPacket.version(packet);
    if (v != version) {
      return true;
    }
    return v == 4
        ? IpPacket.ipv4Source(packet) != v4
        : IpPacket.ipv6SourceHigh(packet) != v6High || IpPacket.ipv6SourceLow(packet) != v6Low;
  }

  void remember(ByteBuf packet) {
    version = IpPacket.version(packet);
    if (version == 4) {
      v4 = IpPacket.ipv4Source(packet);
    } else {
      v6High = IpPacket.ipv6SourceHigh(packet);
      v6Low = IpPacket.ipv6SourceLow(packet);
    }
  }

  void forget() {
    version = 0;
  }
}
