package io.tt.client.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;
import io.tt.common.proxy.TargetAddress;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.tt.common.wire.Padding;
import io.tt.common.wire.ReplyStatus;
import io.tt.common.wire.ServerHandshake;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a censor sees. Over raw sockets against the real server: the first connection made with the client's own
 * handshake code works; the same bytes sent again are refused and answered by the fake web site; a wrong key
 * and plain probes get the web site too.
 */
@Timeout(120)
class ReplayAndProbeTest {

  static TestOrigin origin;
  static TtHarness h;
  static PortSchedule schedule;

  @BeforeAll
  static void start() throws Exception {
    Curl.assumeInstalled();
    origin = new TestOrigin("127.0.0.1");
    h = new TtHarness(300, 60, "aes-256-gcm").start();
    schedule = Schedules.of(h.serverConfig);
  }

  @AfterAll
  static void stop() throws Exception {
    if (h != null) {
      h.close();
    }
    if (origin != null) {
      origin.close();
    }
  }

  private static int currentPort() {
    return schedule.portFor(schedule.slotAt(System.currentTimeMillis()));
  }

  private static ClientHandshake handshake(String key, int port) {
    return new ClientHandshake(MasterKey.derive(key), AeadMethod.AES_256_GCM, port, Padding.AUTO, 16384,
        UnpooledByteBufAllocator.DEFAULT);
  }

  private static byte[] helloBytes(ClientHandshake hs) {
    String get = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    ByteBuf hello = hs.hello(ClientRequest.connect(new TargetAddress("127.0.0.1", origin.port()),
        System.currentTimeMillis() / 1000), Unpooled.copiedBuffer(get, StandardCharsets.US_ASCII));
    return ByteBufUtil.getBytes(hello);
  }

  /** Sends bytes and reads until the server closes (or 5 s of silence). */
  private static byte[] exchange(int port, byte[] bytes) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          out.write(buf, 0, n);
        }
      } catch (SocketTimeoutException | java.net.SocketException e) {
        // the site keeps the connection open (keep-alive) or resets it: what arrived is what counts
      }
      return out.toByteArray();
    }
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  @Test
  void replayedConnectionIsRefusedAndSeesTheWebSite() throws Exception {
    int port = currentPort();
    ClientHandshake hs = handshake(TtHarness.KEY, port);
    byte[] recorded = helloBytes(hs);
    int requestsBefore = origin.requests.get();

    byte[] answer = exchange(port, recorded);
    ByteBuf plain = Unpooled.buffer();
    ByteBuf wire = Unpooled.wrappedBuffer(answer);
    assertEquals(ClientHandshake.Step.ACCEPTED, hs.feed(wire, plain), "the genuine connection is answered by TT");
    assertEquals(ReplyStatus.OK, hs.status());
    while (wire.isReadable()) {
      hs.decoder().decodeOne(wire, plain);
    }
    assertTrue(plain.toString(StandardCharsets.US_ASCII).endsWith("hello from 127.0.0.1\n"), plain.toString(StandardCharsets.US_ASCII));
    assertEquals(requestsBefore + 1, origin.requests.get());

    long replaysBefore = h.server.context().stats().rejections(ServerHandshake.Rejection.REPLAY);
    byte[] replayAnswer = exchange(port, recorded);
    String seen = text(replayAnswer);
    assertTrue(seen.startsWith("HTTP/1.1 400 Bad Request\r\n"), "a replay sees the web server: " + seen);
    assertTrue(seen.contains("\r\nServer: nginx/"), seen);
    assertEquals(requestsBefore + 1, origin.requests.get(), "the replay never reached the target");
    assertEquals(replaysBefore + 1, h.server.context().stats().rejections(ServerHandshake.Rejection.REPLAY));
  }

  @Test
  void wrongKeyIsRefusedAndSeesTheWebSite() throws Exception {
    int port = currentPort();
    long before = h.server.context().stats().rejections(ServerHandshake.Rejection.BAD_AUTH);
    byte[] answer = exchange(port, helloBytes(handshake("not-the-key", port)));
    assertTrue(text(answer).startsWith("HTTP/1.1 400 Bad Request\r\n"), text(answer));
    assertEquals(before + 1, h.server.context().stats().rejections(ServerHandshake.Rejection.BAD_AUTH));

    // and a whole client with the wrong key gets nowhere
    try (TtHarness wrong = new TtHarness(10, 60, "aes-256-gcm")) {
      wrong.clientConfig.put("key", "not-the-key").put("port-range", h.clientConfig.getString("port-range"));
      wrong.startClient(io.tt.common.schedule.SlotClock.SYSTEM);
      Curl.Result r = Curl.run(20, "-x", wrong.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
      assertNotEquals(0, r.exit());
      assertTrue(!r.stdout().contains("hello from"), r.stdout());
    }
  }

  @Test
  void aPortsBytesAreBoundToThatPort() throws Exception {
    long slot = schedule.slotAt(System.currentTimeMillis());
    int port = schedule.portFor(slot);
    int other = schedule.openPorts(slot).keySet().stream().filter(p -> p != port).findFirst().orElseThrow();
    byte[] answer = exchange(other, helloBytes(handshake(TtHarness.KEY, port)));
    assertTrue(text(answer).startsWith("HTTP/1.1 400 Bad Request\r\n"), "a first frame sealed for another port: " + text(answer));
  }

  @Test
  void probesSeeAnOrdinaryWebServer() throws Exception {
    int port = currentPort();
    String page = text(exchange(port, "GET / HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    assertTrue(page.startsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\n"), page);
    assertTrue(page.contains("<html"), page);

    byte[] noise = new byte[600];
    new Random(7).nextBytes(noise);
    noise[599] = '\n';
    String onNoise = text(exchange(port, noise));
    assertTrue(onNoise.startsWith("HTTP/1.1 400 Bad Request\r\n"), onNoise);

    // A TLS ClientHello on a plain-HTTP port: nginx answers 400 too.
    byte[] clientHello = java.util.HexFormat.of().parseHex("16030100f4010000f00303" + "00".repeat(32) + "20" + "11".repeat(32)
        + "0008130213031301c02f0100" + "00" + "9f" + "00".repeat(0x9f));
    String onTls = text(exchange(port, clientHello));
    assertTrue(onTls.startsWith("HTTP/1.1 400 Bad Request\r\n"), onTls);
  }

  /**
   * A first segment shorter than salt + header cannot come from a TT client (it writes both at once), so the
   * server hands it to the site at once: the prober sees what nginx shows for those bytes, with nginx's timing.
   */
  @Test
  void shortFirstSegmentIsAnsweredLikeNginxAtOnce() throws Exception {
    int port = currentPort();
    long before = h.server.context().stats().rejections(ServerHandshake.Rejection.PROBE);
    byte[] full = helloBytes(handshake(TtHarness.KEY, port));
    long start = System.nanoTime();
    byte[] answer = exchange(port, java.util.Arrays.copyOf(full, 40));
    assertTrue(text(answer).startsWith("HTTP/1.1 400 Bad Request\r\nServer: nginx/"), text(answer));
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "answered without waiting for the handshake deadline");
    assertEquals(before + 1, h.server.context().stats().rejections(ServerHandshake.Rejection.PROBE));
  }

  /** A prefix of a valid request line: nginx waits for the rest, and so does TT's site. */
  @Test
  void partialRequestLineWaitsLikeNginx() throws Exception {
    int port = currentPort();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
      s.setSoTimeout(1500);
      s.getOutputStream().write("GET /ind".getBytes(StandardCharsets.US_ASCII));
      assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "nothing is answered yet");
      s.getOutputStream().write("ex.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] b = new byte[64];
      int n = s.getInputStream().read(b);
      assertTrue(new String(b, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK"));
    }
  }
}
