package io.tt.e2e.tun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.Direction;
import io.tt.common.wire.SessionKeys;
import io.tt.common.wire.UdpDatagram;
import io.tt.common.wire.UdpHeaderCipher;
import io.tt.common.wire.UdpKeys;
import io.tt.common.wire.UdpSealer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A datagram recorded on the wire and sent again is dropped by the server: its inner packet does not come out of
 * the server's TUN device a second time. The datagrams are made here with the shared key (a session of the
 * test's own, as any client would), sent from the client's namespace to the server's current UDP port; the inner
 * packets are UDP datagrams to a socket on the server's TUN address, so "comes out of the TUN" is "arrives there".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TunReplayE2ETest {

  static final int SLOT_SECONDS = 10;
  static final int LISTEN_PORT = 7777;

  TunBed bed;
  String skipReason;
  MasterKey master;

  @BeforeAll
  void startBed() throws Exception {
    skipReason = TunBed.skipReason();
    if (skipReason != null) {
      System.err.println(getClass().getSimpleName() + " skipped: " + skipReason);
      return;
    }
    bed = TunBed.start(SLOT_SECONDS, List.of("-m", "chacha20-poly1305,aes-256-gcm"), "10.1.0.2", "UDP");
    master = MasterKey.derive(TunBed.KEY);
  }

  @BeforeEach
  void requireBed() {
    Assumptions.assumeTrue(skipReason == null, skipReason);
  }

  @AfterAll
  void stopBed() throws Exception {
    if (bed != null) {
      bed.close();
    }
  }

  /**
   * Both methods: the JDK's ChaCha20-Poly1305 also happens to refuse a second decryption with the nonce it just
   * used, AES-GCM does not, so with AES-GCM the sliding window alone stands between a replay and the TUN device.
   */
  @ParameterizedTest
  @EnumSource(AeadMethod.class)
  void replayedDatagramIsDroppedByTheServer(AeadMethod method) throws Exception {
    DatagramSocket listener = bed.serverNs.async(() -> {
      DatagramSocket s = new DatagramSocket(new InetSocketAddress(TunBed.SERVER_TUN, LISTEN_PORT));
      s.setSoTimeout(3000);
      return s;
    }).get(10, TimeUnit.SECONDS);
    DatagramSocket sender = bed.client(0).ns().async(DatagramSocket::new).get(10, TimeUnit.SECONDS);
    try (listener; sender) {
      long session = new SecureRandom().nextLong();
      UdpSealer sealer = new UdpSealer(UdpHeaderCipher.of(master), session, method,
          UdpKeys.key(master, session, Direction.CLIENT_TO_SERVER, method));
      PortSchedule schedule = new PortSchedule(SessionKeys.portScheduleKey(master), PortRange.parse(TunBed.PORT_RANGE),
          SLOT_SECONDS);
      int port = schedule.portFor(schedule.slotAt(System.currentTimeMillis()));
      InetSocketAddress server = new InetSocketAddress(bed.client(0).serverAddress(), port);

      byte[] first = datagram(sealer, port, "probe-1");
      sender.send(new DatagramPacket(first, first.length, server));
      assertEquals("probe-1", receive(listener), "the original datagram's packet comes out of the server's TUN");

      for (int i = 0; i < 3; i++) {
        sender.send(new DatagramPacket(first, first.length, server)); // byte for byte what was on the wire
      }
      listener.setSoTimeout(2000);
      assertNull(receive(listener), "a replayed datagram's packet came out of the server's TUN again");

      byte[] second = datagram(sealer, port, "probe-2");
      sender.send(new DatagramPacket(second, second.length, server));
      listener.setSoTimeout(3000);
      assertEquals("probe-2", receive(listener), "the session still works: the silence was the replay check");
      sealer.release();
    }
  }

  /** A TT datagram (next packet number) carrying an IPv4/UDP packet 10.1.0.9:4000 -> server TUN:7777. */
  static byte[] datagram(UdpSealer sealer, int serverPort, String text) {
    byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
    ByteBuf ip = Unpooled.buffer();
    int total = 28 + payload.length;
    ip.writeByte(0x45).writeByte(0).writeShort(total).writeShort(1).writeShort(0x4000)
        .writeByte(64).writeByte(17).writeShort(0)
        .writeBytes(new byte[] {10, 1, 0, 9}).writeBytes(new byte[] {10, 1, 0, 1});
    ip.setShort(10, ipChecksum(ip));
    ip.writeShort(4000).writeShort(LISTEN_PORT).writeShort(8 + payload.length).writeShort(0).writeBytes(payload);
    ByteBuf out = Unpooled.buffer();
    sealer.seal(UdpDatagram.TYPE_PACKET, System.currentTimeMillis() / 1000, ip, 0, serverPort, out);
    return ByteBufUtil.getBytes(out);
  }

  static int ipChecksum(ByteBuf header) {
    long sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += header.getUnsignedShort(i);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** The text of the next datagram, or null if none comes within the socket's timeout. */
  static String receive(DatagramSocket s) throws Exception {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      s.receive(p);
      return new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }
}
