package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static io.tt.common.wire.ProtocolVectors.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The datagram vectors of docs/PROTOCOL.md section 9 (made by protocol-vectors.py) through the Java codec. */
class UdpVectorsTest {

  private static Map<String, String> block(String method) throws Exception {
    return ProtocolVectors.load().block("udp " + method);
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void keysDeriveAsTheSpecSays(String method) throws Exception {
    ProtocolVectors v = ProtocolVectors.load();
    Map<String, String> b = v.block("udp " + method);
    MasterKey master = MasterKey.derive(v.block("master-key").get("password"));
    assertEquals(b.get("udp_header_key"), ByteBufUtil.hexDump(SessionKeys.udpHeaderKey(master)));
    long sid = Long.parseUnsignedLong(b.get("session_id"), 16);
    assertEquals(b.get("session_key"), ByteBufUtil.hexDump(
        UdpKeys.key(master, sid, Direction.CLIENT_TO_SERVER, AeadMethod.fromName(method))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void sealsTheVectorDatagram(String method) throws Exception {
    Map<String, String> b = block(method);
    UdpSealer sealer = new UdpSealer(new UdpHeaderCipher(hex(b.get("udp_header_key"))),
        Long.parseUnsignedLong(b.get("session_id"), 16), AeadMethod.fromName(method), hex(b.get("session_key")));
    ByteBuf out = Unpooled.buffer();
    sealer.sealWith(Long.parseLong(b.get("packet_number")), Integer.parseInt(b.get("type")),
        Long.parseLong(b.get("timestamp")), Unpooled.wrappedBuffer(hex(b.get("payload"))),
        Integer.parseInt(b.get("pad")), Integer.parseInt(b.get("port")), out);
    assertEquals(b.get("datagram"), ByteBufUtil.hexDump(out));
    sealer.release();
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void opensTheVectorDatagram(String method) throws Exception {
    Map<String, String> b = block(method);
    ByteBuf datagram = Unpooled.wrappedBuffer(hex(b.get("datagram")));
    UdpHeaderCipher header = new UdpHeaderCipher(hex(b.get("udp_header_key")));
    header.decrypt(datagram, 0);
    assertEquals(b.get("session_id"), String.format("%016x", header.sessionId()));
    assertEquals(Long.parseLong(b.get("packet_number")), header.packetNumber());

    UdpOpener opener = new UdpOpener(AeadMethod.fromName(method), hex(b.get("session_key")), 30);
    ByteBuf out = Unpooled.buffer();
    long now = Long.parseLong(b.get("timestamp")) * 1000 + 500;
    assertEquals(UdpOpener.Result.PACKET,
        opener.open(header.packetNumber(), datagram, Integer.parseInt(b.get("port")), now, out));
    assertEquals(b.get("payload"), ByteBufUtil.hexDump(out));
    assertEquals(UdpOpener.Result.REPLAYED,
        opener.open(header.packetNumber(), datagram, Integer.parseInt(b.get("port")), now, Unpooled.buffer()));
  }
}
