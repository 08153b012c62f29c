package io.tt.common.wire;

import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;

/**
 * The AEADs of one datagram direction of one session, one per server port: the server port is the associated
 * data (PROTOCOL.md section 8) and an {@link Aead} binds its associated data when it is made. A session sees one
 * port per slot and at most a few at once (the old port drains while the new one starts), so a handful of cached
 * instances means a cipher object is made once per port change, not per datagram.
 */
final class UdpPortAeads {

  private static final int SLOTS = 4;

  private final AeadMethod method;
  private final byte[] key;
  private final int[] ports = new int[SLOTS];
  private final Aead[] aeads = new Aead[SLOTS];
  private int next;

  UdpPortAeads(AeadMethod method, byte[] key) {
    this.method = method;
    this.key = key.clone();
    java.util.Arrays.fill(ports, -1);
  }

  /** Adopts an AEAD made elsewhere for this key and port (the server made one while it tried the keys). */
  UdpPortAeads(AeadMethod method, byte[] key, int port, Aead aead) {
    this(method, key);
    put(port, aead);
  }

  Aead forPort(int port) {
    for (int i = 0; i < SLOTS; i++) {
      if (ports[i] == port) {
        return aeads[i];
      }
    }
    Aead a = Aeads.create(method, key, SessionKeys.portAad(port));
    put(port, a);
    return a;
  }

  private void put(int port, Aead a) {
    ports[next] = port;
    aeads[next] = a;
    next = (next + 1) % SLOTS; // the oldest port goes first
  }

  AeadMethod method() {
    return method;
  }
}
