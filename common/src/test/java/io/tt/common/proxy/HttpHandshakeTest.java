package io.tt.common.proxy;

import io.netty.buffer.Unpooled;
import io.tt.common.proxy.http.HttpLimits;
import io.tt.common.proxy.http.HttpProxyResponses;
import io.tt.common.proxy.http.HttpRequestFramer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static io.tt.common.proxy.Bytes.concat;
import static io.tt.common.proxy.Bytes.crlf;
import static io.tt.common.proxy.Bytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP through the {@link ProxyHandshake} facade: CONNECT, absolute-form, errors, with every split. */
class HttpHandshakeTest {

  static final ProxyAuth ALICE = ProxyAuth.usernamePassword("alice", "s3cret");
  static final String AUTH = "Proxy-Authorization: Basic "
      + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)) + "\n";

  record Case(String name, ProxyAuth auth, byte[] input, String outcome, String clientStartsWith, List<String> tunnels) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String tunnel(String target, byte[] bytes) {
    return target + "=" + Bytes.hex(bytes);
  }

  static Stream<Case> cases() {
    byte[] clientHello = hex("16 03 01 00 05 0102030405");
    return Stream.of(
        new Case("CONNECT with early TLS bytes", ProxyAuth.none(),
            concat(crlf("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n"), clientHello),
            "connect HTTP_CONNECT", "HTTP/1.1 200 Connection established\r\n\r\n",
            List.of(tunnel("example.com:443", clientHello))),
        new Case("CONNECT ipv6 with credentials", ALICE, crlf("CONNECT [::1]:8443 HTTP/1.1\n" + AUTH + "\n"),
            "connect HTTP_CONNECT", "HTTP/1.1 200 Connection established\r\n\r\n", List.of(tunnel("[::1]:8443", new byte[0]))),
        new Case("absolute GET then POST on keep-alive", ProxyAuth.none(),
            crlf("GET http://example.com/a?b=c HTTP/1.1\nHost: example.com\nAccept: */*\n\n"
                + "POST http://example.com/p HTTP/1.1\nContent-Length: 3\n\nabc"),
            "connect HTTP_FORWARD", "",
            List.of(tunnel("example.com:80", crlf("GET /a?b=c HTTP/1.1\nHost: example.com\nAccept: */*\n\n"
                + "POST /p HTTP/1.1\nHost: example.com\nContent-Length: 3\n\nabc")))),
        new Case("absolute GET switching hosts", ProxyAuth.none(),
            crlf("GET http://a/ HTTP/1.1\n\nGET http://[::1]:8080/x HTTP/1.1\n\n"),
            "connect HTTP_FORWARD", "",
            List.of(tunnel("a:80", crlf("GET / HTTP/1.1\nHost: a\n\n")),
                tunnel("[::1]:8080", crlf("GET /x HTTP/1.1\nHost: [::1]:8080\n\n")))),
        new Case("missing credentials", ALICE, crlf("GET http://a/ HTTP/1.1\n\n"),
            "fail: HTTP 407 proxy authentication missing or wrong",
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"tt\"\r\n", List.of()),
        new Case("origin-form", ProxyAuth.none(), crlf("GET / HTTP/1.1\nHost: a\n\n"),
            "fail: HTTP 400 origin-form request sent to a proxy", "HTTP/1.1 400 Bad Request\r\n", List.of()),
        new Case("https absolute-form", ProxyAuth.none(), crlf("GET https://a/ HTTP/1.1\n\n"),
            "fail: HTTP 400 https URI in absolute form; use CONNECT", "HTTP/1.1 400 ", List.of()),
        new Case("asterisk-form", ProxyAuth.none(), crlf("OPTIONS * HTTP/1.1\n\n"),
            "fail: HTTP 405 asterisk-form request to the proxy", "HTTP/1.1 405 Method Not Allowed\r\n", List.of()),
        new Case("TLS ClientHello to the proxy port", ProxyAuth.none(), clientHello,
            "fail: HTTP 400 not an HTTP request", "HTTP/1.1 400 ", List.of()),
        new Case("SOCKS4", ProxyAuth.none(), hex("04 01 0050 7f000001 00"),
            "fail: HTTP 400 not an HTTP request", "HTTP/1.1 400 ", List.of()),
        new Case("HTTP/2 preface", ProxyAuth.none(), crlf("PRI * HTTP/2.0\n\nSM\n\n"),
            "fail: HTTP 505 HTTP version not supported", "HTTP/1.1 505 ", List.of()),
        new Case("CL and TE together", ProxyAuth.none(),
            crlf("POST http://a/ HTTP/1.1\nContent-Length: 6\nTransfer-Encoding: chunked\n\n0\n\nX"),
            "fail: HTTP 400 both Content-Length and Transfer-Encoding", "HTTP/1.1 400 ", List.of()),
        new Case("negative Content-Length", ProxyAuth.none(),
            crlf("POST http://a/ HTTP/1.1\nContent-Length: -1\n\n"),
            "fail: HTTP 400 bad Content-Length", "HTTP/1.1 400 ", List.of()),
        new Case("obs-fold", ProxyAuth.none(), crlf("GET http://a/ HTTP/1.1\nX: 1\n 2\n\n"),
            "fail: HTTP 400 obsolete line folding", "HTTP/1.1 400 ", List.of()),
        new Case("incomplete head", ProxyAuth.none(), crlf("GET http://a/ HTTP/1.1\nHost: a\n"),
            "incomplete", "", List.of()),
        new Case("bad chunk after a forwarded request", ProxyAuth.none(),
            crlf("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked\n\n1\nx\nq\n"),
            "connect HTTP_FORWARD, then fail: HTTP 400 bad chunk size", "HTTP/1.1 400 ",
            List.of(tunnel("a:80", crlf("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n1\nx\n")))));
  }

  static void check(Case c, ProxyDriver.Transcript t, String how) {
    assertEquals(c.outcome(), t.outcome(), how);
    assertTrue(t.clientText().startsWith(c.clientStartsWith()), how + ": " + t.clientText());
    assertEquals(c.tunnels(), t.tunnels(), how);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void wholeByteAtATimeAndEveryCut(Case c) {
    check(c, ProxyDriver.run(c.auth(), c.input(), Integer.MAX_VALUE), "whole");
    check(c, ProxyDriver.run(c.auth(), c.input(), 1), "one byte at a time");
    for (int at = 0; at <= c.input().length; at++) {
      check(c, ProxyDriver.run(c.auth(), HttpLimits.DEFAULT, ProxyDriver.cutAt(c.input(), at)), "cut at " + at);
    }
  }

  @Test
  void forwardResultCarriesTheFramerPositionedInTheFirstBody() {
    ProxyHandshake hs = new ProxyHandshake(ProxyAuth.none());
    HandshakeResult r = hs.feed(Unpooled.wrappedBuffer(crlf("PUT http://a:81/f HTTP/1.1\nContent-Length: 4\n\nab")));
    HandshakeResult.Connect c = assertInstanceOf(HandshakeResult.Connect.class, r);
    assertEquals(HandshakeResult.Connect.Mode.HTTP_FORWARD, c.mode());
    assertEquals(new TargetAddress("a", 81), c.target());
    assertFalse(c.successReply().isReadable(), "the origin's response is the reply");
    assertEquals("PUT /f HTTP/1.1\r\nHost: a:81\r\nContent-Length: 4\r\n\r\n", Bytes.text(c.toTarget()));
    assertEquals("ab", Bytes.text(c.leftover()));
    assertNotNull(c.request());
    assertEquals("PUT", c.request().method());
    HttpRequestFramer framer = c.requestFramer();
    HttpRequestFramer.BodyPart part = (HttpRequestFramer.BodyPart) framer.next(c.leftover());
    assertEquals("ab", Bytes.text(part.bytes()));
    assertFalse(part.last());
    part = (HttpRequestFramer.BodyPart) framer.next(Unpooled.wrappedBuffer(Bytes.ascii("cd")));
    assertTrue(part.last());
    assertEquals("http", hs.protocol());
  }

  @Test
  void failureRepliesForTunnels() {
    HandshakeResult.Connect c = (HandshakeResult.Connect) new ProxyHandshake(ProxyAuth.none())
        .feed(Unpooled.wrappedBuffer(crlf("CONNECT a:443 HTTP/1.1\n\n")));
    assertEquals(Bytes.text(HttpProxyResponses.badGateway()), Bytes.text(c.failureReply(ConnectFailure.REFUSED)));
    assertEquals(Bytes.text(HttpProxyResponses.gatewayTimeout()), Bytes.text(c.failureReply(ConnectFailure.TIMEOUT)));
    assertFalse(c.toTarget().isReadable());
    assertSame(null, c.requestFramer());
  }

  @Test
  void oversizeInputsAreCutAtTheirCaps() {
    // 1 MiB of request line: refused with 414 once 8 KiB are in, whatever follows
    ProxyHandshake hs = new ProxyHandshake(ProxyAuth.none());
    HandshakeResult r = HandshakeResult.NeedMore.INSTANCE;
    int fed = 0;
    byte[] chunk = Bytes.repeat('A', 1000);
    while (r instanceof HandshakeResult.NeedMore && fed < 1 << 20) {
      r = hs.feed(Unpooled.wrappedBuffer(chunk));
      fed += chunk.length;
    }
    HandshakeResult.Fail f = assertInstanceOf(HandshakeResult.Fail.class, r);
    assertTrue(Bytes.text(f.bytes()).startsWith("HTTP/1.1 414 URI Too Long\r\n"));
    assertEquals(9000, fed);

    // header flood
    StringBuilder sb = new StringBuilder("GET http://a/ HTTP/1.1\n");
    for (int i = 0; i < 1000; i++) {
      sb.append("X: ").append(i).append('\n');
    }
    ProxyDriver.Transcript t = ProxyDriver.run(ProxyAuth.none(), crlf(sb.toString()), 64);
    assertEquals("fail: HTTP 431 too many header fields", t.outcome());
    assertTrue(t.clientText().startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
  }

  @Test
  void credentialsNeverShowInResults() {
    String wrong = "Proxy-Authorization: Basic " + Base64.getEncoder().encodeToString(
        "alice:hunter2".getBytes(StandardCharsets.UTF_8)) + "\n";
    ProxyDriver.Transcript t = ProxyDriver.run(ALICE, crlf("GET http://a/ HTTP/1.1\n" + wrong + "\n"), 7);
    assertFalse(t.toString().contains("hunter2"));
    assertFalse(t.clientText().contains("aHVudGVyMg"));
    HandshakeResult.Connect c = (HandshakeResult.Connect) new ProxyHandshake(ALICE)
        .feed(Unpooled.wrappedBuffer(crlf("GET http://a/ HTTP/1.1\n" + AUTH + "\n")));
    assertFalse(c.toString().contains("s3cret"));
    assertFalse(Bytes.text(c.toTarget()).contains("Proxy-Authorization"));
  }
}
