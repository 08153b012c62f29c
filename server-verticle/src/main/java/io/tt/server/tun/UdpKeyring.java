package io.tt.server.tun;

import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.wire.AcceptedKey;
import io.tt.common.wire.UdpHeaderCipher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's accepted keys as datagrams need them: per master key its header cipher (the header is encrypted
 * with the key's own {@code udp-header} subkey, so each key decrypts a header differently) and the methods it is
 * accepted with. Used on the TUN context only (the ciphers are not thread-safe).
 */
final class UdpKeyring {

  /** One master key. */
  static final class Entry {
    final MasterKey master;
    final UdpHeaderCipher header;
    final List<AeadMethod> methods = new ArrayList<>();

    Entry(MasterKey master) {
      this.master = master;
      this.header = UdpHeaderCipher.of(master);
    }
  }

  private final List<AcceptedKey> source;
  private final Entry[] entries;

  UdpKeyring(List<AcceptedKey> accepted) {
    this(accepted, null);
  }

  /**
   * For a new key set (a live config change): keys that stay keep their entry, so the sessions made under them
   * carry on; sessions of a key that left stop opening.
   */
  private UdpKeyring(List<AcceptedKey> accepted, UdpKeyring previous) {
    Map<MasterKey, Entry> byKey = new LinkedHashMap<>();
    for (AcceptedKey k : accepted) {
      byKey.computeIfAbsent(k.key(), mk -> previous == null ? new Entry(mk) : previous.reuse(mk)).methods.add(k.method());
    }
    this.source = accepted;
    this.entries = byKey.values().toArray(new Entry[0]);
  }

  private Entry reuse(MasterKey mk) {
    for (Entry e : entries) {
      if (e.master.equals(mk)) {
        e.methods.clear();
        return e;
      }
    }
    return new Entry(mk);
  }

  /** This ring, or a new one if the accepted keys changed. */
  UdpKeyring follow(List<AcceptedKey> accepted) {
    return accepted == source ? this : new UdpKeyring(accepted, this);
  }

  Entry[] entries() {
    return entries;
  }
}
