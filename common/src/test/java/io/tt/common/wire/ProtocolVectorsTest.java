package io.tt.common.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.Aeads;
import io.tt.common.crypto.MasterKey;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.tt.common.wire.ProtocolVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java implementation against the vectors of docs/PROTOCOL.md (made by an independent implementation). */
class ProtocolVectorsTest {

  static ProtocolVectors v;
  static MasterKey master;

  @BeforeAll
  static void load() throws Exception {
    v = ProtocolVectors.load();
    master = MasterKey.derive(v.block("master-key").get("password"));
  }

  @Test
  void masterKeyIsArgon2idOfThePassword() {
    assertEquals(v.block("master-key").get("master"), ByteBufUtil.hexDump(master.rawForTests()));
  }

  @Test
  void subkeys() {
    Map<String, String> b = v.block("subkeys");
    assertEquals(b.get("port_schedule"), ByteBufUtil.hexDump(SessionKeys.portScheduleKey(master)));
    assertEquals(b.get("udp_header"), ByteBufUtil.hexDump(SessionKeys.udpHeaderKey(master)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void sessionKeys(String method) {
    Map<String, String> b = v.block("session-keys " + method);
    AeadMethod m = AeadMethod.fromName(method);
    assertEquals(b.get("c2s"), ByteBufUtil.hexDump(
        SessionKeys.streamKey(master, hex(b.get("client_salt")), Direction.CLIENT_TO_SERVER, m)));
    assertEquals(b.get("s2c"), ByteBufUtil.hexDump(
        SessionKeys.streamKey(master, hex(b.get("server_salt")), Direction.SERVER_TO_CLIENT, m)));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 29400000, 29400001})
  void schedule(long slot) {
    Map<String, String> b = v.block("schedule slot " + slot);
    PortSchedule s = new PortSchedule(hex(b.get("port_key")), PortRange.parse(b.get("range")), 60);
    PortSchedule.Entry e = s.entry(slot);
    assertEquals(Integer.parseInt(b.get("port")), e.port());
    assertEquals(Integer.parseInt(b.get("lifetime")), e.lifetime());
  }

  @Test
  void scheduleSmallRange() {
    Map<String, String> b = v.block("schedule small-range");
    PortSchedule s = new PortSchedule(hex(b.get("port_key")), PortRange.parse(b.get("range")), 60);
    PortSchedule.Entry e = s.entry(Long.parseLong(b.get("slot")));
    assertEquals(Integer.parseInt(b.get("port")), e.port());
    assertEquals(Integer.parseInt(b.get("lifetime")), e.lifetime());
  }

  /** Every implementation that serves here (auto: this machine's default) gives the vectors' bytes. */
  @ParameterizedTest
  @CsvSource({"aes-256-gcm,auto", "chacha20-poly1305,auto", "aes-256-gcm,jdk", "chacha20-poly1305,jdk",
      "aes-256-gcm,sodium", "chacha20-poly1305,sodium", "aes-256-gcm,gcrypt"})
  void frames(String method, String impl) {
    AeadMethod m = AeadMethod.fromName(method);
    if ("sodium".equals(impl)) {
      Assumptions.assumeTrue(Aeads.sodiumAvailable(m), "libsodium not installed (apt-get install libsodium23)");
    }
    if ("gcrypt".equals(impl)) {
      Assumptions.assumeTrue(Aeads.gcryptAvailable(), "libgcrypt not installed (apt-get install libgcrypt20)");
    }
    Map<String, String> b = v.block("frames " + method);
    int port = Integer.parseInt(b.get("port"));
    FrameEncoder enc = new FrameEncoder(
        Aeads.create(impl, m, hex(b.get("key")), SessionKeys.portAad(port)), Padding.OFF, 65535);
    ByteBuf out = Unpooled.buffer();
    ByteBuf p0 = Unpooled.wrappedBuffer(hex(b.get("payload0")));
    enc.encodeFrame(p0, 0, p0.readableBytes(), Integer.parseInt(b.get("pad0")), out);
    assertEquals(b.get("frame0"), ByteBufUtil.hexDump(out));
    out.clear();
    enc.encodeFrame(Unpooled.EMPTY_BUFFER, 0, 0, Integer.parseInt(b.get("pad1")), out);
    assertEquals(b.get("frame1"), ByteBufUtil.hexDump(out));

    FrameDecoder dec = new FrameDecoder(
        Aeads.create(impl, m, hex(b.get("key")), SessionKeys.portAad(port)), UnpooledByteBufAllocator.DEFAULT);
    ByteBuf wire = Unpooled.wrappedBuffer(hex(b.get("frame0") + b.get("frame1")));
    ByteBuf plain = Unpooled.buffer();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, plain));
    assertEquals("hello", plain.toString(StandardCharsets.US_ASCII));
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, plain));
    assertEquals(5, plain.readableBytes(), "a padding-only frame adds nothing");
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void clientHelloIsAcceptedByTheServerAndMatchesTheVector(String method) {
    Map<String, String> b = v.block("client-hello " + method);
    AeadMethod m = AeadMethod.fromName(method);
    int port = Integer.parseInt(b.get("port"));
    long ts = Long.parseLong(b.get("timestamp"));
    ByteBuf wire = Unpooled.wrappedBuffer(hex(b.get("bytes")));

    ServerHandshake hs = new ServerHandshake(List.of(new AcceptedKey(master, m)), port,
        new LocalReplayFilter(60_000, 100), ts * 1000, 30_000, UnpooledByteBufAllocator.DEFAULT);
    assertEquals(ServerHandshake.Step.ACCEPTED, hs.feed(wire));
    assertEquals(Command.CONNECT, hs.request().command());
    assertEquals(TargetAddress.parse(b.get("target"), 0), hs.request().target());
    assertEquals(ts, hs.request().timestampSeconds());
    assertEquals("GET", hs.firstData().toString(StandardCharsets.US_ASCII));

    // The Java client produces the same bytes given the same salt and padding.
    FrameEncoder enc = new FrameEncoder(SessionKeys.streamAead(master, hex(b.get("client_salt")),
        Direction.CLIENT_TO_SERVER, m, port), Padding.OFF, 65535);
    ByteBuf payload = Unpooled.buffer();
    ClientRequest.connect(TargetAddress.parse(b.get("target"), 0), ts).encode(payload);
    payload.writeBytes(hex(b.get("data")));
    ByteBuf out = Unpooled.buffer();
    out.writeBytes(hex(b.get("client_salt")));
    enc.encodeFrame(payload, 0, payload.readableBytes(), Integer.parseInt(b.get("pad")), out);
    assertEquals(b.get("bytes"), ByteBufUtil.hexDump(out));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void serverHelloIsAcceptedByTheClient(String method) {
    Map<String, String> b = v.block("server-hello " + method);
    AeadMethod m = AeadMethod.fromName(method);
    int port = Integer.parseInt(b.get("port"));
    ClientHandshake client = new ClientHandshake(master, m, port, Padding.OFF, 65535,
        UnpooledByteBufAllocator.DEFAULT, hex(b.get("request_salt")));
    ByteBuf data = Unpooled.buffer();
    assertEquals(ClientHandshake.Step.ACCEPTED, client.feed(Unpooled.wrappedBuffer(hex(b.get("bytes"))), data));
    assertEquals(ReplyStatus.OK, client.status());
    assertEquals("OK", data.toString(StandardCharsets.US_ASCII));

    // A reply that echoes another salt is refused.
    ClientHandshake other = new ClientHandshake(master, m, port, Padding.OFF, 65535,
        UnpooledByteBufAllocator.DEFAULT, new byte[32]);
    assertEquals(ClientHandshake.Step.FAILED, other.feed(Unpooled.wrappedBuffer(hex(b.get("bytes"))), data));
  }

  /**
   * A mux connection's opening (section 5.3): the server accepts the MUX request and its decoder, switched to mux
   * headers, reads the stream frames that follow; the Java encoder makes the same bytes.
   */
  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void muxClient(String method) {
    Map<String, String> b = v.block("mux-client " + method);
    AeadMethod m = AeadMethod.fromName(method);
    int port = Integer.parseInt(b.get("port"));
    long ts = Long.parseLong(b.get("timestamp"));
    ByteBuf wire = Unpooled.wrappedBuffer(hex(b.get("bytes")));

    ServerHandshake hs = new ServerHandshake(List.of(new AcceptedKey(master, m)), port,
        new LocalReplayFilter(60_000, 100), ts * 1000, 30_000, UnpooledByteBufAllocator.DEFAULT);
    assertEquals(ServerHandshake.Step.ACCEPTED, hs.feed(wire));
    assertEquals(Command.MUX, hs.request().command());
    assertEquals(0, hs.firstData().readableBytes());
    FrameDecoder dec = hs.decoder();
    dec.startMux();
    ByteBuf payload = Unpooled.buffer();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.OPEN, MuxFrameType.of(dec.frameType()));
    assertEquals(1, dec.stream());
    assertEquals(1, payload.readByte(), "flags: hold the reply");
    assertEquals(TargetAddress.parse("example.com:443", 0), TargetAddress.decode(payload));
    assertEquals("GET", payload.toString(StandardCharsets.US_ASCII));
    payload.clear();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.DATA, MuxFrameType.of(dec.frameType()));
    assertEquals(" / HTTP/1.1", payload.toString(StandardCharsets.US_ASCII));
    payload.clear();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.WINDOW, MuxFrameType.of(dec.frameType()));
    assertEquals(65536, payload.readInt());
    payload.clear();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.CLOSE, MuxFrameType.of(dec.frameType()));
    assertEquals(1, dec.stream());
    assertEquals(0, payload.readableBytes());
    assertEquals(0, wire.readableBytes());

    FrameEncoder enc = new FrameEncoder(SessionKeys.streamAead(master, hex(b.get("client_salt")),
        Direction.CLIENT_TO_SERVER, m, port), Padding.OFF, 65535);
    ByteBuf head = Unpooled.buffer();
    ClientRequest.mux(ts).encode(head);
    ByteBuf out = Unpooled.buffer();
    out.writeBytes(hex(b.get("client_salt")));
    enc.encodeFrame(head, 0, head.readableBytes(), 2, out);
    enc.startMux();
    ByteBuf open = Unpooled.buffer().writeByte(1);
    TargetAddress.parse("example.com:443", 0).encode(open);
    open.writeCharSequence("GET", StandardCharsets.US_ASCII);
    enc.encodeMuxFrame(MuxFrameType.OPEN, 1, open, 0, open.readableBytes(), 7, out);
    ByteBuf data = Unpooled.copiedBuffer(" / HTTP/1.1", StandardCharsets.US_ASCII);
    enc.encodeMuxFrame(MuxFrameType.DATA, 1, data, 0, data.readableBytes(), 0, out);
    enc.encodeMuxFrame(MuxFrameType.WINDOW, 1, Unpooled.buffer().writeInt(65536), 0, 4, 3, out);
    enc.encodeMuxFrame(MuxFrameType.CLOSE, 1, Unpooled.EMPTY_BUFFER, 0, 0, 0, out);
    assertEquals(b.get("bytes"), ByteBufUtil.hexDump(out));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aes-256-gcm", "chacha20-poly1305"})
  void muxServer(String method) {
    Map<String, String> b = v.block("mux-server " + method);
    AeadMethod m = AeadMethod.fromName(method);
    int port = Integer.parseInt(b.get("port"));
    ClientHandshake client = new ClientHandshake(master, m, port, Padding.OFF, 65535,
        UnpooledByteBufAllocator.DEFAULT, hex(b.get("request_salt")));
    ByteBuf wire = Unpooled.wrappedBuffer(hex(b.get("bytes")));
    ByteBuf payload = Unpooled.buffer();
    assertEquals(ClientHandshake.Step.ACCEPTED, client.feed(wire, payload));
    assertEquals(ReplyStatus.OK, client.status());
    assertEquals(0, payload.readableBytes());
    FrameDecoder dec = client.decoder();
    dec.startMux();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.REPLY, MuxFrameType.of(dec.frameType()));
    assertEquals(0, payload.readByte());
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.DATA, MuxFrameType.of(dec.frameType()));
    assertEquals("OK", payload.toString(StandardCharsets.US_ASCII));
    payload.clear();
    assertEquals(FrameDecoder.Result.FRAME, dec.decodeOne(wire, payload));
    assertEquals(MuxFrameType.CLOSE, MuxFrameType.of(dec.frameType()));
    assertEquals(0, wire.readableBytes());

    byte[] serverSalt = hex(b.get("server_salt"));
    FrameEncoder enc = new FrameEncoder(SessionKeys.streamAead(master, serverSalt, Direction.SERVER_TO_CLIENT, m,
        port), Padding.OFF, 65535);
    ByteBuf out = Unpooled.buffer();
    out.writeBytes(serverSalt);
    ByteBuf head = Unpooled.buffer();
    new ServerResponse(hex(b.get("request_salt")), ReplyStatus.OK).encode(head);
    enc.encodeFrame(head, 0, head.readableBytes(), 5, out);
    enc.startMux();
    enc.encodeMuxFrame(MuxFrameType.REPLY, 1, Unpooled.wrappedBuffer(new byte[] {0}), 0, 1, 1, out);
    enc.encodeMuxFrame(MuxFrameType.DATA, 1, Unpooled.copiedBuffer("OK", StandardCharsets.US_ASCII), 0, 2, 0, out);
    enc.encodeMuxFrame(MuxFrameType.CLOSE, 1, Unpooled.EMPTY_BUFFER, 0, 0, 4, out);
    assertEquals(b.get("bytes"), ByteBufUtil.hexDump(out));
  }

  @Test
  void allBlocksPresent() {
    assertTrue(v.size() >= 20, "PROTOCOL.md lost vector blocks");
  }
}
