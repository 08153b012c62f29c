package io.tt.common.wire;

import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import io.tt.common.crypto.MasterKey;

/** The HKDF labels of PROTOCOL.md section 2 and the AEADs they key. */
public final class SessionKeys {

  public static final String PORT_SCHEDULE_LABEL = "tt/1 port-schedule";
  public static final String UDP_HEADER_LABEL = "tt/1 udp-header";

  private SessionKeys() {
  }

  /** "tt/1 c2s aes-256-gcm" etc.: the method is in the label so one key never serves two algorithms. */
  public static String streamLabel(Direction d, AeadMethod m) {
    return "tt/1 " + d.label() + " " + m.wireName();
  }

  public static String udpLabel(Direction d, AeadMethod m) {
    return "tt/1 udp " + d.label() + " " + m.wireName();
  }

  public static byte[] streamKey(MasterKey master, byte[] salt, Direction d, AeadMethod m) {
    return master.subkey(salt, streamLabel(d, m));
  }

  /** The AEAD of one stream direction; associated data = the session's server port, 2 bytes big-endian. */
  public static Aead streamAead(MasterKey master, byte[] salt, Direction d, AeadMethod m, int serverPort) {
    return Aeads.create(m, streamKey(master, salt, d, m), portAad(serverPort));
  }

  public static byte[] portAad(int port) {
    return new byte[] {(byte) (port >>> 8), (byte) port};
  }

  public static byte[] portScheduleKey(MasterKey master) {
    return master.subkey(new byte[0], PORT_SCHEDULE_LABEL);
  }

  public static byte[] udpHeaderKey(MasterKey master) {
    return master.subkey(new byte[0], UDP_HEADER_LABEL);
  }
}
