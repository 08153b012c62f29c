package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.LongObjectHashMap;
import io.tt.common.tun.IpPacket;

import java.util.Iterator;
import java.util.Map;

/**
 * Which client owns which inner address. Learned from the source address of each client's authenticated
 * packets (the latest sender of an address wins: a client that reconnects takes its address back); looked up by
 * destination for packets coming out of the TUN device.
 *
 * <p>Primitive-keyed maps, so neither learning nor lookup allocates. Used on the TUN context only. The number of
 * addresses is capped so a client sending from ever-new source addresses cannot grow it without bound.
 */
final class TunRoutes {

  static final int MAX_ADDRESSES = 65_536;

  private final IntObjectHashMap<TunPeer> v4 = new IntObjectHashMap<>();
  /** IPv6: high 64 bits, then low 64 bits. */
  private final LongObjectHashMap<LongObjectHashMap<TunPeer>> v6 = new LongObjectHashMap<>();
  private int v6Count;

  /** The client for the packet's destination, or null. The packet must be well formed. */
  TunPeer lookup(ByteBuf packet) {
    if (IpPacket.version(packet) == 4) {
      return v4.get(IpPacket.ipv4Destination(packet));
    }
    LongObjectHashMap<TunPeer> low = v6.get(IpPacket.ipv6DestinationHigh(packet));
    return low == null ? null : low.get(IpPacket.ipv6DestinationLow(packet));
  }

  /** The client that sent from this IPv4 address last. */
  TunPeer ownerV4(int address) {
    return v4.get(address);
  }

  /** @return false if the table is full and the address is new */
  boolean learnV4(int address, TunPeer peer) {
    if (v4.size() + v6Count >= MAX_ADDRESSES && !v4.containsKey(address)) {
      return false;
    }
    v4.put(address, peer);
    return true;
  }

  boolean learnV6(long high, long low, TunPeer peer) {
    LongObjectHashMap<TunPeer> m = v6.get(high);
    if (m == null) {
      if (v4.size() + v6Count >= MAX_ADDRESSES) {
        return false;
      }
      m = new LongObjectHashMap<>();
      v6.put(high, m);
    }
    if (!m.containsKey(low)) {
      if (v4.size() + v6Count >= MAX_ADDRESSES) {
        return false;
      }
      v6Count++;
    }
    m.put(low, peer);
    return true;
  }

  /** Forgets every address of a client that is gone. */
  void remove(TunPeer peer) {
    v4.values().removeIf(p -> p == peer);
    for (Iterator<Map.Entry<Long, LongObjectHashMap<TunPeer>>> it = v6.entrySet().iterator(); it.hasNext(); ) {
      LongObjectHashMap<TunPeer> m = it.next().getValue();
      int before = m.size();
      m.values().removeIf(p -> p == peer);
      v6Count -= before - m.size();
      if (m.isEmpty()) {
        it.remove();
      }
    }
  }

  int size() {
    return v4.size() + v6Count;
  }
}
