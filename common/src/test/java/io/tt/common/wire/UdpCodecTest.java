package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.Aead;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Datagram sealing and opening: round trips, and every way a datagram can be wrong ends in a counted result. */
class UdpCodecTest {

  static final long SID = 0x1122334455667788L;
  static final int PORT = 40000;
  static final long NOW = 1_764_000_000_000L;
  static final byte[] HDR_KEY = bytes(32, 1);
  static final byte[] KEY = bytes(32, 2);

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] packet(int len) {
    byte[] p = bytes(len, len);
    p[0] = 0x45;
    return p;
  }

  record Sent(ByteBuf datagram, long packetNumber) {
  }

  static Sent seal(AeadMethod m, UdpSealer s, int type, byte[] payload, int pad, int port, long nowMillis) {
    ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    long n = s.seal(type, nowMillis / 1000, payload == null ? null : Unpooled.wrappedBuffer(payload), pad, port, out);
    return new Sent(out, n);
  }

  static UdpOpener.Result open(UdpOpener o, ByteBuf datagram, int port, long now, ByteBuf out) {
    UdpHeaderCipher h = new UdpHeaderCipher(HDR_KEY);
    h.decrypt(datagram, datagram.readerIndex());
    assertEquals(SID, h.sessionId());
    return o.open(h.packetNumber(), datagram, port, now, out);
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void roundTripsPacketsOfEverySizeAndPadding(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    int[] sizes = {1, 20, 576, 1280, 1410, 9000, 65535 - 43};
    int[] pads = {0, 1, 19, 255, 1000};
    for (int size : sizes) {
      for (int pad : pads) {
        byte[] p = packet(size);
        Sent d = seal(m, s, UdpDatagram.TYPE_PACKET, p, pad, PORT, NOW);
        assertEquals(UdpDatagram.length(size, pad), d.datagram().readableBytes());
        ByteBuf out = Unpooled.buffer();
        assertEquals(UdpOpener.Result.PACKET, open(o, d.datagram(), PORT, NOW, out), "size " + size + " pad " + pad);
        assertArrayEquals(p, ByteBufUtil.getBytes(out));
        d.datagram().release();
      }
    }
    assertEquals(sizes.length * pads.length, s.nextPacketNumber());
    s.release();
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void keepAliveOpensWithNothingToDeliver(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    Sent d = seal(m, s, UdpDatagram.TYPE_KEEPALIVE, null, 37, PORT, NOW);
    assertEquals(UdpDatagram.MIN_LENGTH + 37, d.datagram().readableBytes());
    ByteBuf out = Unpooled.buffer();
    assertEquals(UdpOpener.Result.KEEPALIVE, open(o, d.datagram(), PORT, NOW, out));
    assertEquals(0, out.readableBytes());
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void replayedAndReorderedDatagrams(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    Sent a = seal(m, s, 1, packet(100), 0, PORT, NOW);
    Sent b = seal(m, s, 1, packet(100), 0, PORT, NOW);
    assertEquals(UdpOpener.Result.PACKET, open(o, b.datagram(), PORT, NOW, Unpooled.buffer()));
    assertEquals(UdpOpener.Result.PACKET, open(o, a.datagram(), PORT, NOW, Unpooled.buffer()), "late but new");
    assertEquals(UdpOpener.Result.REPLAYED, open(o, a.datagram(), PORT, NOW, Unpooled.buffer()));
    assertEquals(UdpOpener.Result.REPLAYED, open(o, b.datagram(), PORT, NOW, Unpooled.buffer()));
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void everyFlippedBitIsRefusedAndBurnsNoPacketNumber(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    Sent d = seal(m, s, 1, packet(60), 5, PORT, NOW);
    byte[] good = ByteBufUtil.getBytes(d.datagram());
    UdpHeaderCipher h = new UdpHeaderCipher(HDR_KEY);
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      ByteBuf bb = Unpooled.wrappedBuffer(bad);
      h.decrypt(bb, 0);
      ByteBuf out = Unpooled.buffer();
      UdpOpener.Result r = o.open(h.packetNumber(), bb, PORT, NOW, out);
      // A flipped header bit decrypts to another session or number (and the body then fails to open), or to an
      // unacceptable number; a flipped body bit fails authentication.
      assertNotEquals(UdpOpener.Result.PACKET, r, "byte " + i);
      assertEquals(0, out.writerIndex(), "nothing written for byte " + i);
    }
    assertEquals(UdpOpener.Result.PACKET, open(o, Unpooled.wrappedBuffer(good), PORT, NOW, Unpooled.buffer()),
        "the real datagram still opens: forgeries marked nothing");
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void truncatedDatagramsAreRefused(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    Sent d = seal(m, s, 1, packet(80), 3, PORT, NOW);
    byte[] good = ByteBufUtil.getBytes(d.datagram());
    for (int len = UdpDatagram.HEADER_LENGTH; len < good.length; len++) {
      ByteBuf cut = Unpooled.wrappedBuffer(good, 0, len);
      assertEquals(UdpOpener.Result.BAD_AUTH, open(o, cut, PORT, NOW, Unpooled.buffer()), "length " + len);
    }
    ByteBuf longer = Unpooled.wrappedBuffer(good, new byte[] {0});
    assertEquals(UdpOpener.Result.BAD_AUTH, open(o, longer, PORT, NOW, Unpooled.buffer()));
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void wrongPortKeyOrDirectionIsRefused(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    Sent d = seal(m, s, 1, packet(80), 0, PORT, NOW);
    assertEquals(UdpOpener.Result.BAD_AUTH, open(new UdpOpener(m, KEY, 30), d.datagram(), PORT + 1, NOW,
        Unpooled.buffer()), "recorded on one port, replayed to another");
    assertEquals(UdpOpener.Result.BAD_AUTH, open(new UdpOpener(m, bytes(32, 9), 30), d.datagram(), PORT, NOW,
        Unpooled.buffer()), "another key");
    AeadMethod other = m == AeadMethod.AES_256_GCM ? AeadMethod.CHACHA20_POLY1305 : AeadMethod.AES_256_GCM;
    assertEquals(UdpOpener.Result.BAD_AUTH, open(new UdpOpener(other, KEY, 30), d.datagram(), PORT, NOW,
        Unpooled.buffer()), "another method");
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void portChangesKeepTheSession(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    for (int i = 0; i < 20; i++) {
      int port = PORT + (i % 7); // more ports than the cache holds, revisited
      Sent d = seal(m, s, 1, packet(40), 0, port, NOW);
      assertEquals(UdpOpener.Result.PACKET, open(o, d.datagram(), port, NOW, Unpooled.buffer()), "port " + port);
    }
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void timestampOutsideTheWindowIsStaleAndNotMarked(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    Sent old = seal(m, s, 1, packet(40), 0, PORT, NOW - 31_000);
    Sent future = seal(m, s, 1, packet(40), 0, PORT, NOW + 32_000);
    Sent edge = seal(m, s, 1, packet(40), 0, PORT, NOW - 30_000);
    assertEquals(UdpOpener.Result.STALE, open(o, old.datagram(), PORT, NOW, Unpooled.buffer()));
    assertEquals(UdpOpener.Result.STALE, open(o, future.datagram(), PORT, NOW, Unpooled.buffer()));
    assertEquals(UdpOpener.Result.PACKET, open(o, edge.datagram(), PORT, NOW, Unpooled.buffer()));
    assertEquals(UdpOpener.Result.PACKET, open(o, old.datagram(), PORT, NOW - 20_000, Unpooled.buffer()),
        "a stale datagram did not burn its number");
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void authenticBodiesWithBadFieldsAreMalformed(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    UdpOpener o = new UdpOpener(m, KEY, 30);
    assertEquals(UdpOpener.Result.MALFORMED, open(o, seal(m, s, 3, packet(40), 0, PORT, NOW).datagram(), PORT,
        NOW, Unpooled.buffer()), "unknown type");
    assertEquals(UdpOpener.Result.MALFORMED, open(o, seal(m, s, 1, null, 9, PORT, NOW).datagram(), PORT, NOW,
        Unpooled.buffer()), "a packet datagram without a packet");

    // Padding length beyond the body, and a body shorter than its head: sealed by hand with the right key.
    Aead aead = Aeads.create(m, KEY, SessionKeys.portAad(PORT));
    UdpHeaderCipher h = new UdpHeaderCipher(HDR_KEY);
    for (byte[] plain : new byte[][] {
        plainOf(1, NOW / 1000, 500, new byte[20]), new byte[] {1, 0, 0, 0}}) {
      long n = s.nextPacketNumber() + 100 + plain.length;
      ByteBuf d = Unpooled.buffer();
      h.encrypt(SID, n, d);
      aead.seal(n, Unpooled.wrappedBuffer(plain), 0, plain.length, d);
      assertEquals(UdpOpener.Result.MALFORMED, open(o, d, PORT, NOW, Unpooled.buffer()));
    }
  }

  static byte[] plainOf(int type, long ts, int padLen, byte[] rest) {
    ByteBuf b = Unpooled.buffer();
    b.writeByte(type).writeLong(ts).writeShort(padLen).writeBytes(rest);
    return ByteBufUtil.getBytes(b);
  }

  /** A restarted server takes over a session whose client already saw low numbers from the previous instance. */
  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void aRestartedServerCountsFromAboveItsPredecessor(AeadMethod m) {
    UdpSealer before = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY,
        UdpDatagram.serverFirstPacketNumber(NOW - 5_000));
    UdpOpener client = new UdpOpener(m, KEY, 30);
    for (int i = 0; i < 3000; i++) {
      assertEquals(UdpOpener.Result.PACKET, open(client, seal(m, before, 1, packet(30), 0, PORT, NOW).datagram(),
          PORT, NOW, Unpooled.buffer()));
    }
    UdpSealer after = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY, UdpDatagram.serverFirstPacketNumber(NOW));
    Sent first = seal(m, after, 1, packet(30), 0, PORT, NOW);
    assertEquals(true, first.packetNumber() > before.nextPacketNumber(), "no nonce of the old instance is reused");
    assertEquals(UdpOpener.Result.PACKET, open(client, first.datagram(), PORT, NOW, Unpooled.buffer()));
    assertEquals(NOW << 20, first.packetNumber());
  }

  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void headerHidesSessionAndNumber(AeadMethod m) {
    UdpSealer s = new UdpSealer(new UdpHeaderCipher(HDR_KEY), SID, m, KEY);
    Sent a = seal(m, s, 1, packet(40), 0, PORT, NOW);
    Sent b = seal(m, s, 1, packet(40), 0, PORT, NOW);
    byte[] ha = ByteBufUtil.getBytes(a.datagram(), 0, 16);
    byte[] hb = ByteBufUtil.getBytes(b.datagram(), 0, 16);
    int same = 0;
    for (int i = 0; i < 16; i++) {
      same += ha[i] == hb[i] ? 1 : 0;
    }
    // Consecutive numbers of one session share no visible bytes (about 16/256 equal by chance).
    assertEquals(true, same < 6, "headers share " + same + " bytes");
  }
}
