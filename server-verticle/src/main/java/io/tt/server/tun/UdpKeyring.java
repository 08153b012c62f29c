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

  private final Entry[] entries;

  UdpKeyring(List<AcceptedKey> accepted) {
    Map<MasterKey, Entry> byKey = new LinkedHashMap<>();
    for (AcceptedKey k : accepted) {
      byKey.computeIfAbsent(k.key(), Entry::new).methods.add(k.method());
    }
    entries = byKey.values().toArray(new Entry[0]);
  }

  Entry[] entries() {
    return entries;
  }
}
