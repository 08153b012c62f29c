package io.tt.client.hostile;

import io.tt.client.e2e.Curl;
import io.tt.client.e2e.TestOrigin;
import io.tt.client.e2e.TtHarness;
import io.tt.common.schedule.SlotClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input on the client's local proxy port (SOCKS5 and HTTP on one port), over real sockets with bounded
 * reads: each malformed handshake gets its exact SOCKS5 reply code or HTTP status and a close, never a hang; then
 * curl still goes through the proxy with the bytes intact.
 */
@Timeout(120)
class HostileProxyTest {

  static TestOrigin origin;
  static TtHarness h;

  @BeforeAll
  static void start() throws Exception {
    Curl.assumeInstalled();
    origin = new TestOrigin("127.0.0.1");
    h = Probe.harness(200, "chacha20-poly1305").start();
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

  private static Probe.Answer send(String hex) throws Exception {
    return Probe.exchange(h.proxyPort, HexFormat.of().parseHex(hex), 5000);
  }

  private static String hex(Probe.Answer a) {
    return HexFormat.of().formatHex(a.bytes());
  }

  private static void closedAfter(Probe.Answer a, String expectHex, String what) {
    assertEquals(expectHex, hex(a), what + ": reply");
    assertTrue(a.closed(), what + ": the proxy closes after refusing");
  }

  @Test
  void malformedSocks5GetsItsReplyCodeAndAClose() throws Exception {
    // zero methods: no acceptable method (0xFF)
    closedAfter(send("0500"), "05ff", "zero methods");
    // only GSSAPI offered
    closedAfter(send("050101"), "05ff", "GSSAPI only");
    // request with version 4 after a good greeting: general failure (0x01)
    closedAfter(send("050100" + "040100017f0000010050"), "0500" + "050100010000000000" + "00", "request version 4");
    // unknown address type 0x02: address type not supported (0x08)
    closedAfter(send("050100" + "050100027f0000010050"), "0500" + "050800010000000000" + "00", "ATYP 2");
    // BIND: command not supported (0x07)
    closedAfter(send("050100" + "050200017f0000010050"), "0500" + "050700010000000000" + "00", "BIND");
    // empty domain name: general failure
    closedAfter(send("050100" + "05010003000050"), "0500" + "050100010000000000" + "00", "empty domain");
    // SOCKS4 (first byte 4) is not SOCKS5, so it is read as HTTP: 400
    Probe.Answer socks4 = send("040100500a00000100");
    assertTrue(socks4.text().startsWith("HTTP/1.1 400 "), "SOCKS4: " + socks4.head());
    assertTrue(socks4.closed());
    Probe.goodClientWorks(h, origin);
  }

  /** Cut-off greetings and requests get no reply and are closed by the 30 s handshake timeout: never a hang. */
  @Test
  @Timeout(90)
  void truncatedSocks5IsClosedByTheHandshakeTimeout() throws Exception {
    try (Socket greeting = Probe.connect(h.proxyPort); Socket request = Probe.connect(h.proxyPort)) {
      long start = System.nanoTime();
      greeting.getOutputStream().write(HexFormat.of().parseHex("0502"));
      request.getOutputStream().write(HexFormat.of().parseHex("050100" + "050100030b6578"));
      Probe.Answer r = Probe.read(request, 2000, start);
      assertEquals("0500", hex(r), "the greeting is answered, the cut request is not");
      Probe.goodClientWorks(h, origin); // while both wait
      Probe.Answer g = Probe.read(greeting, 40_000, start);
      assertEquals("", hex(g), "a cut greeting gets no reply");
      assertTrue(g.closed(), "closed by the proxy's handshake timeout");
      assertTrue(g.closedAfterMillis() >= 25_000 && g.closedAfterMillis() < 40_000,
          "closed after " + g.closedAfterMillis() + " ms (handshake timeout 30 s)");
      Probe.Answer r2 = Probe.read(request, 5_000, start);
      assertTrue(r2.closed(), "the cut request is closed too");
    }
    Probe.goodClientWorks(h, origin);
  }

  @Test
  void malformedHttpGetsItsStatusAndAClose() throws Exception {
    String[][] cases = {
        {"binary garbage", "\u0000\u0001\u0002garbage\r\n\r\n", "400"},
        {"TLS ClientHello", "\u0016\u0003\u0001\u0000\u00f4\u0001\u0000\u0000\u00f0\u0003\u0003", "400"},
        {"origin-form", "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
        {"asterisk", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "405"},
        {"request line over 8 KiB", "GET http://x/" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", "414"},
        {"head over 64 KiB", "GET http://x/ HTTP/1.1\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n", "431"},
        {"150 header fields", "GET http://x/ HTTP/1.1\r\n" + "X-F: v\r\n".repeat(150) + "\r\n", "431"},
        {"CL and TE", "POST http://x/ HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", "400"},
        {"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "505"},
    };
    for (String[] c : cases) {
      Probe.Answer a = Probe.exchange(h.proxyPort, c[1].getBytes(StandardCharsets.ISO_8859_1), 5000);
      assertTrue(a.text().startsWith("HTTP/1.1 " + c[2] + " "), c[0] + ": " + a.head());
      assertTrue(a.closed(), c[0] + ": the proxy closes after refusing");
    }
    Probe.goodClientWorks(h, origin);
  }

  /** A proxy with a login: 407 without or with wrong credentials, over both protocols. */
  @Test
  void proxyLoginIsEnforced() throws Exception {
    try (TtHarness auth = new TtHarness(10, 60, "chacha20-poly1305")) {
      auth.clientConfig.put("proxy-user", "alice:s3cret").put("port-range", h.clientConfig.getString("port-range"));
      auth.startClient(SlotClock.SYSTEM);
      Probe.Answer none = Probe.exchange(auth.proxyPort,
          "GET http://127.0.0.1/ HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 5000);
      assertTrue(none.text().startsWith("HTTP/1.1 407 "), "no credentials: " + none.head());
      assertTrue(none.text().contains("Proxy-Authenticate: Basic"), none.head());
      Probe.Answer wrong = Probe.exchange(auth.proxyPort, ("CONNECT 127.0.0.1:80 HTTP/1.1\r\n"
          + "Proxy-Authorization: Basic YWxpY2U6d3Jvbmc=\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 5000);
      assertTrue(wrong.text().startsWith("HTTP/1.1 407 "), "wrong password: " + wrong.head());
      // SOCKS5: no-auth only offered -> 0xFF; a wrong RFC 1929 password -> status 1, close
      Probe.Answer noAuth = Probe.exchange(auth.proxyPort, HexFormat.of().parseHex("050100"), 5000);
      assertEquals("05ff", hex(noAuth));
      Probe.Answer badPass = Probe.exchange(auth.proxyPort, HexFormat.of().parseHex("050102"
          + "01" + "05" + "616c696365" + "05" + "7772306e67"), 5000);
      assertEquals("05020101", hex(badPass));
      assertTrue(badPass.closed());
      String url = "http://127.0.0.1:" + origin.port() + "/hello";
      Curl.Result ok = Curl.run(20, "-x", "socks5h://alice:s3cret@127.0.0.1:" + auth.proxyPort, url);
      assertEquals("hello from 127.0.0.1:" + origin.port(), ok.stdout(), ok.stderr());
      Curl.Result okHttp = Curl.run(20, "--proxy", "http://alice:s3cret@127.0.0.1:" + auth.proxyPort, url);
      assertEquals("hello from 127.0.0.1:" + origin.port(), okHttp.stdout(), okHttp.stderr());
    }
    Probe.goodClientWorks(h, origin);
  }
}
