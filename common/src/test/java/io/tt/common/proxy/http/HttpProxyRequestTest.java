package io.tt.common.proxy.http;

import io.netty.buffer.Unpooled;
import io.tt.common.proxy.Bytes;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.proxy.TargetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.tt.common.proxy.Bytes.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Target parsing, rewriting to origin-form, hop-by-hop removal, keep-alive and proxy authentication. */
class HttpProxyRequestTest {

  static final ProxyAuth ALICE = ProxyAuth.usernamePassword("alice", "s3cret");

  static HttpProxyRequest judge(String head, ProxyAuth auth) {
    HttpRequestHead parsed = new HttpRequestHeadParser(HttpLimits.DEFAULT)
        .parse(Unpooled.wrappedBuffer(crlf(head)));
    return HttpProxyRequest.of(parsed, auth);
  }

  static HttpProxyRequest judge(String head) {
    return judge(head, ProxyAuth.none());
  }

  static String rewritten(String head) {
    return Bytes.text(judge(head).headForOrigin()).replace("\r\n", "\n");
  }

  static int status(String head, ProxyAuth auth) {
    return assertThrows(HttpRejection.class, () -> judge(head, auth)).status();
  }

  static int status(String head) {
    return status(head, ProxyAuth.none());
  }

  static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0} -> {1} {2} {3}")
  @CsvSource(delimiter = '|', value = {
      "http://example.com/a/b?q=1&r=%20x   | example.com:80   | example.com        | /a/b?q=1&r=%20x",
      "http://example.com                  | example.com:80   | example.com        | /",
      "http://example.com?q                | example.com:80   | example.com        | /?q",
      "http://Example.COM:8080/            | example.com:8080 | Example.COM:8080   | /",
      "http://example.com:/x               | example.com:80   | example.com        | /x",
      "HTTP://example.com/x                | example.com:80   | example.com        | /x",
      "http://[::1]:8080/                  | [::1]:8080       | [::1]:8080         | /",
      "http://[2001:DB8::1]/p              | [2001:db8::1]:80 | [2001:DB8::1]      | /p",
      "http://192.0.2.1:81/p?x=http://y/   | 192.0.2.1:81     | 192.0.2.1:81       | /p?x=http://y/",
      "http://a_b-c.example/               | a_b-c.example:80 | a_b-c.example      | /",
  })
  void absoluteFormTargets(String uri, String target, String host, String originForm) {
    HttpProxyRequest r = judge("GET " + uri + " HTTP/1.1\nHost: ignored\n\n");
    assertEquals(HttpProxyRequest.Kind.FORWARD, r.kind());
    assertEquals(target, r.target().toString());
    assertEquals("GET " + originForm + " HTTP/1.1\nHost: " + host + "\n\n", rewritten(
        "GET " + uri + " HTTP/1.1\nHost: ignored\n\n"));
  }

  @Test
  void optionsWithEmptyPathBecomesAsterisk() {
    assertEquals("OPTIONS * HTTP/1.1\nHost: a\n\n", rewritten("OPTIONS http://a HTTP/1.1\n\n"));
    assertEquals("OPTIONS / HTTP/1.1\nHost: a\n\n", rewritten("OPTIONS http://a/ HTTP/1.1\n\n"));
  }

  @Test
  void anyMethodIsForwarded() {
    assertEquals("PROPFIND /d HTTP/1.1\nHost: a\n\n", rewritten("PROPFIND http://a/d HTTP/1.1\n\n"));
    assertTrue(judge("HEAD http://a/ HTTP/1.1\n\n").isHead());
    assertFalse(judge("GET http://a/ HTTP/1.1\n\n").isHead());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://example.com/",          // https goes through CONNECT
      "ftp://example.com/",            // unsupported scheme
      "ws://example.com/",
      "mailto:a@b",
      "http:example.com/",             // no authority
      "http:///path",                  // empty host
      "http://user:pw@example.com/",   // userinfo
      "http://example.com/#frag",      // fragment
      "http://exa mple.com/",
      "http://exa%41mple.com/",        // percent-encoded host
      "http://example.com:0/",         // port 0
      "http://example.com:65536/",
      "http://example.com:123456/",
      "http://example.com:8o/",
      "http://example.com:-1/",
      "http://::1/",                   // unbracketed IPv6
      "http://[::1/",                  // unterminated
      "http://[::1]x/",
      "http://[fe80::1%25eth0]/",      // zone id
      "http://[v1.x]/",                // IPvFuture
      "example.com:80",                // authority-form without CONNECT
      "/index.html",                   // origin-form sent to a proxy
  })
  void refusedTargets(String target) {
    assertEquals(400, status("GET " + target + " HTTP/1.1\n\n"));
  }

  @Test
  void userinfoIsRefusedAsSuchNotJustAsABadHost() {
    // RFC 9110 4.2.4: userinfo in an http URI is an error (and must not leak credentials anywhere)
    for (String uri : new String[] {"http://user@example.com/", "http://u:p@example.com:80/", "http://@example.com/"}) {
      HttpRejection e = assertThrows(HttpRejection.class, () -> judge("GET " + uri + " HTTP/1.1\n\n"));
      assertEquals("userinfo in URI", e.getMessage(), uri);
    }
  }

  @Test
  void hostNameLengthCapIsTheSocks5Limit() {
    String name255 = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63);
    assertEquals(name255, judge("GET http://" + name255 + "/ HTTP/1.1\n\n").target().host());
    assertEquals(400, status("GET http://" + name255 + "e/ HTTP/1.1\n\n"));
  }

  @Test
  void asteriskFormIs405() {
    assertEquals(405, status("OPTIONS * HTTP/1.1\nHost: a\n\n"));
  }

  @Test
  void connectTargets() {
    HttpProxyRequest r = judge("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n");
    assertTrue(r.isConnect());
    assertEquals(new TargetAddress("example.com", 443), r.target());
    assertFalse(r.headForOrigin().isReadable());
    assertEquals(new TargetAddress("::1", 8443), judge("CONNECT [::1]:8443 HTTP/1.1\n\n").target());
    assertEquals(new TargetAddress("192.0.2.7", 22), judge("CONNECT 192.0.2.7:22 HTTP/1.0\n\n").target());
    // CONNECT ignores framing fields: what follows is tunnel payload
    assertEquals(HttpBodyFraming.NONE, judge("CONNECT a:1 HTTP/1.1\nContent-Length: 5\n\n").body());
  }

  @ParameterizedTest
  @CsvSource({"example.com", "example.com:", "http://example.com:443", "/", "example.com:0", "[::1]", "a b:1"})
  void badConnectTargets(String target) {
    assertEquals(400, status("CONNECT " + target + " HTTP/1.1\n\n"));
  }

  @Test
  void connectMethodIsCaseSensitive() {
    // "connect" is some other method, so its target must be absolute-form
    assertEquals(400, status("connect example.com:443 HTTP/1.1\n\n"));
  }

  @Test
  void hopByHopFieldsAreRemovedAndHostIsRegeneratedFirst() {
    String out = rewritten("POST http://example.com/form HTTP/1.1\n"
        + "User-Agent: t\n"
        + "Host: other.example\n"
        + "Proxy-Connection: keep-alive\n"
        + "Proxy-Authorization: Basic Zm9vOmJhcg==\n"
        + "Connection: keep-alive, X-Secret-Hop, Content-Length, Transfer-Encoding\n"
        + "Keep-Alive: timeout=5\n"
        + "TE: trailers\n"
        + "Upgrade: websocket\n"
        + "X-Secret-Hop: 1\n"
        + "Content-Length: 3\n"
        + "Accept: */*\n\n");
    assertEquals("POST /form HTTP/1.1\n"
        + "Host: example.com\n"
        + "User-Agent: t\n"
        + "Content-Length: 3\n"
        + "Accept: */*\n\n", out);
  }

  @Test
  void hostHeaderMismatchPolicyUriWins() {
    assertEquals("GET / HTTP/1.1\nHost: a.example\n\n", rewritten("GET http://a.example/ HTTP/1.1\nHost: b.example\n\n"));
    assertEquals("GET / HTTP/1.1\nHost: a.example\n\n", rewritten("GET http://a.example/ HTTP/1.1\n\n"));
    assertEquals(400, status("GET http://a/ HTTP/1.1\nHost: a\nHost: a\n\n"));
  }

  @Test
  void obsTextAndOriginalCaseSurviveRewriting() {
    byte[] head = Bytes.concat(crlf("GET http://a/ HTTP/1.1\nX-Latin: caf"), new byte[] {(byte) 0xE9}, crlf("\n\n"));
    HttpProxyRequest r = HttpProxyRequest.of(
        new HttpRequestHeadParser(HttpLimits.DEFAULT).parse(Unpooled.wrappedBuffer(head)), ProxyAuth.none());
    byte[] expected = Bytes.concat(crlf("GET / HTTP/1.1\nHost: a\nX-Latin: caf"), new byte[] {(byte) 0xE9},
        crlf("\n\n"));
    assertEquals(Bytes.hex(expected), Bytes.hex(Bytes.of(r.headForOrigin())));
  }

  @Test
  void keepAliveSemantics() {
    assertTrue(judge("GET http://a/ HTTP/1.1\n\n").keepAlive());
    assertFalse(judge("GET http://a/ HTTP/1.1\nConnection: close\n\n").keepAlive());
    assertFalse(judge("GET http://a/ HTTP/1.1\nProxy-Connection: close\n\n").keepAlive());
    assertFalse(judge("GET http://a/ HTTP/1.0\n\n").keepAlive());
    assertTrue(judge("GET http://a/ HTTP/1.0\nConnection: Keep-Alive\n\n").keepAlive());
    assertTrue(judge("GET http://a/ HTTP/1.0\nProxy-Connection: keep-alive\n\n").keepAlive());
    // what the origin is told: each version's non-default only
    assertEquals("GET / HTTP/1.1\nHost: a\nConnection: close\n\n", rewritten("GET http://a/ HTTP/1.1\nConnection: close\n\n"));
    assertEquals("GET / HTTP/1.0\nHost: a\nConnection: keep-alive\n\n",
        rewritten("GET http://a/ HTTP/1.0\nProxy-Connection: keep-alive\n\n"));
    assertEquals("GET / HTTP/1.0\nHost: a\n\n", rewritten("GET http://a/ HTTP/1.0\n\n"));
  }

  @Test
  void proxyAuthentication() {
    String head = "GET http://a/ HTTP/1.1\nProxy-Authorization: %s\n\n";
    assertEquals("a:80", judge(String.format(head, basic("alice:s3cret")), ALICE).target().toString());
    assertEquals("a:80", judge(String.format(head, basic("alice:s3cret").replace("Basic", "bAsIc")), ALICE)
        .target().toString());
    assertEquals(407, status("GET http://a/ HTTP/1.1\n\n", ALICE));
    assertEquals(407, status(String.format(head, basic("alice:wrong")), ALICE));
    assertEquals(407, status(String.format(head, basic("alice")), ALICE));
    assertEquals(407, status(String.format(head, basic("bob:s3cret")), ALICE));
    assertEquals(407, status(String.format(head, "Basic !!!not-base64!!!"), ALICE));
    assertEquals(407, status(String.format(head, "Bearer abc"), ALICE));
    assertEquals(407, status(String.format(head, "Basic"), ALICE));
    assertEquals(407, status("GET http://a/ HTTP/1.1\nProxy-Authorization: " + basic("alice:s3cret")
        + "\nProxy-Authorization: " + basic("alice:s3cret") + "\n\n", ALICE));
    // authentication is judged before anything else about the request
    assertEquals(407, status("GET /origin-form HTTP/1.1\n\n", ALICE));
    assertEquals(407, status("CONNECT a:443 HTTP/1.1\n\n", ALICE));
    // a password holding ':' is fine: only the first one splits
    ProxyAuth colon = ProxyAuth.usernamePassword("u", "p:q");
    assertEquals("a:80", judge(String.format(head, basic("u:p:q")), colon).target().toString());
  }

  @Test
  void rejectionsNeverQuoteTheCredentials() {
    HttpRejection e = assertThrows(HttpRejection.class,
        () -> judge("GET http://a/ HTTP/1.1\nProxy-Authorization: Basic aHVudGVyMg-=\n\n", ALICE));
    assertFalse(e.getMessage().contains("aHVudGVyMg"), e.getMessage());
    HttpProxyRequest ok = judge("GET http://a/p?token=abc HTTP/1.1\nProxy-Authorization: " + basic("alice:s3cret")
        + "\n\n", ALICE);
    assertFalse(ok.toString().contains("s3cret"));
    assertFalse(ok.toString().contains("token=abc"), "paths stay out of toString");
  }
}
