package io.tt.common.wire;

import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;

/** The datagram subkeys of a session (PROTOCOL.md section 2.2): HKDF of the master key, salted with the session id. */
public final class UdpKeys {

  private UdpKeys() {
  }

  public static byte[] sessionIdBytes(long sessionId) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) sessionId;
      sessionId >>>= 8;
    }
    return b;
  }

  /** {@code HKDF(master, salt = session_id, "tt/1 udp c2s|s2c <method>")}. */
  public static byte[] key(MasterKey master, long sessionId, Direction d, AeadMethod m) {
    return master.subkey(sessionIdBytes(sessionId), SessionKeys.udpLabel(d, m));
  }
}
