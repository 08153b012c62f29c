package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.tt.common.crypto.MasterKey;

import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;

/**
 * The datagram header {@code AES-256-ECB(K_hdr, session_id(8) || packet_number(8))}: one block, so the receiver
 * learns session and packet number without any plaintext field on the wire.
 *
 * <p>One encrypting and one decrypting Cipher, initialised once and reused for every header (ECB keeps no state
 * between blocks), with fixed scratch arrays: nothing is allocated per datagram. Not thread-safe: one per thread
 * that sends or receives (a session's event loop). {@link #decrypt} leaves its result in {@link #sessionId()} and
 * {@link #packetNumber()} rather than returning an object.
 */
public final class UdpHeaderCipher {

  private final Cipher encrypt;
  private final Cipher decrypt;
  private final byte[] in = new byte[UdpDatagram.HEADER_LENGTH];
  private final byte[] out = new byte[UdpDatagram.HEADER_LENGTH];
  private long sessionId;
  private long packetNumber;

  public UdpHeaderCipher(byte[] headerKey) {
    if (headerKey.length != 32) {
      throw new IllegalArgumentException("the UDP header key must be 32 bytes");
    }
    try {
      SecretKeySpec k = new SecretKeySpec(headerKey, "AES");
      encrypt = Cipher.getInstance("AES/ECB/NoPadding");
      encrypt.init(Cipher.ENCRYPT_MODE, k);
      decrypt = Cipher.getInstance("AES/ECB/NoPadding");
      decrypt.init(Cipher.DECRYPT_MODE, k);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB is not available in this JDK", e);
    }
  }

  /** For the {@code udp-header} subkey of a master key. */
  public static UdpHeaderCipher of(MasterKey master) {
    return new UdpHeaderCipher(SessionKeys.udpHeaderKey(master));
  }

  /** Appends the 16-byte header for a session and packet number to {@code dst}. */
  public void encrypt(long sessionId, long packetNumber, ByteBuf dst) {
    putLong(in, 0, sessionId);
    putLong(in, 8, packetNumber);
    run(encrypt);
    dst.writeBytes(out);
  }

  /**
   * Decrypts the header at {@code index} of {@code src} (16 readable bytes there, which the caller checked) into
   * {@link #sessionId()} and {@link #packetNumber()}.
   */
  public void decrypt(ByteBuf src, int index) {
    src.getBytes(index, in);
    run(decrypt);
    sessionId = getLong(out, 0);
    packetNumber = getLong(out, 8);
  }

  public long sessionId() {
    return sessionId;
  }

  public long packetNumber() {
    return packetNumber;
  }

  private void run(Cipher c) {
    try {
      if (c.doFinal(in, 0, UdpDatagram.HEADER_LENGTH, out, 0) != UdpDatagram.HEADER_LENGTH) {
        throw new IllegalStateException("AES block of unexpected length");
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB failed", e);
    }
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
