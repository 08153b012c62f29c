package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.Bytes;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.proxy.ProxyDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tt.common.proxy.Bytes.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client-to-origin framing over keep-alive sequences, whole and split at every byte. */
class HttpRequestFramerTest {

  /** What a handler would have done: heads seen, bytes sent per target, and a failure if any. */
  record Run(List<String> heads, Map<String, String> toOrigin, String failure) {
  }

  static Run run(ProxyAuth auth, List<byte[]> chunks) {
    HttpRequestFramer framer = new HttpRequestFramer(auth, HttpLimits.DEFAULT);
    List<String> heads = new ArrayList<>();
    Map<String, StringBuilder> streams = new LinkedHashMap<>();
    String current = null;
    String failure = null;
    boolean expectBody = false;
    outer:
    for (byte[] chunk : chunks) {
      ByteBuf in = Unpooled.wrappedBuffer(chunk);
      while (true) {
        HttpRequestFramer.Event e = framer.next(in);
        if (e instanceof HttpRequestFramer.NeedMore) {
          assertFalse(in.isReadable(), "NeedMore leaves no input");
          break;
        }
        if (e instanceof HttpRequestFramer.RequestHead h) {
          assertFalse(expectBody, "head while a body was due");
          HttpProxyRequest r = h.request();
          heads.add(r.method() + " " + r.target() + (h.newTarget() ? " new" : "") + (r.keepAlive() ? "" : " close"));
          current = r.target().toString();
          streams.computeIfAbsent(current, k -> new StringBuilder()).append(Bytes.text(r.headForOrigin()));
          expectBody = r.body().kind() != HttpBodyFraming.Kind.NONE && !r.isConnect();
        } else if (e instanceof HttpRequestFramer.BodyPart b) {
          streams.get(current).append(Bytes.text(b.bytes()));
          if (b.last()) {
            expectBody = false;
          }
        } else if (e instanceof HttpRequestFramer.Failed f) {
          failure = f.status() + " " + f.reason();
          assertTrue(Bytes.text(f.response()).startsWith("HTTP/1.1 " + f.status() + " "));
          break outer;
        }
      }
    }
    Map<String, String> toOrigin = new LinkedHashMap<>();
    streams.forEach((k, v) -> toOrigin.put(k, v.toString().replace("\r\n", "\n")));
    return new Run(heads, toOrigin, failure);
  }

  /** Runs whole, one byte at a time, and cut in two at every position; all must agree. */
  static Run runAllWays(ProxyAuth auth, byte[] input) {
    Run whole = run(auth, List.of(input));
    assertEquals(whole, run(auth, ProxyDriver.split(input, 1)), "one byte at a time");
    for (int at = 0; at <= input.length; at++) {
      assertEquals(whole, run(auth, ProxyDriver.cutAt(input, at)), "cut at " + at);
    }
    return whole;
  }

  static final String KEEP_ALIVE_SEQUENCE = ""
      + "GET http://a.example/1 HTTP/1.1\nHost: a.example\nProxy-Connection: keep-alive\n\n"
      + "POST http://a.example/form HTTP/1.1\nContent-Length: 5\n\nhello"
      + "POST http://a.example/up HTTP/1.1\nTransfer-Encoding: chunked\n\n"
      + "3;x=y\nabc\n0\nChecksum: 1\n\n"
      + "GET http://b.example:8080/ HTTP/1.1\n\n"
      + "HEAD http://a.example/h HTTP/1.1\nContent-Length: 0\n\n"
      + "PUT http://a.example/p HTTP/1.1\nContent-Length: 2\nConnection: close\n\nhi"
      + "GET http://ignored.example/ HTTP/1.1\n\n";

  @Test
  void keepAliveSequenceWithMixedBodies() {
    Run r = runAllWays(ProxyAuth.none(), crlf(KEEP_ALIVE_SEQUENCE));
    assertEquals(List.of(
        "GET a.example:80 new",
        "POST a.example:80",
        "POST a.example:80",
        "GET b.example:8080 new",
        "HEAD a.example:80 new",
        "PUT a.example:80 close"), r.heads());
    assertEquals(null, r.failure());
    assertEquals(""
        + "GET /1 HTTP/1.1\nHost: a.example\n\n"
        + "POST /form HTTP/1.1\nHost: a.example\nContent-Length: 5\n\nhello"
        + "POST /up HTTP/1.1\nHost: a.example\nTransfer-Encoding: chunked\n\n"
        + "3;x=y\nabc\n0\nChecksum: 1\n\n"
        + "HEAD /h HTTP/1.1\nHost: a.example\nContent-Length: 0\n\n"
        + "PUT /p HTTP/1.1\nHost: a.example\nContent-Length: 2\nConnection: close\n\nhi",
        r.toOrigin().get("a.example:80"), "the request after Connection: close is discarded");
    assertEquals("GET / HTTP/1.1\nHost: b.example:8080\n\n", r.toOrigin().get("b.example:8080"));
  }

  @Test
  void chunkedBodyBytesAreForwardedVerbatimIncludingBareLf() {
    byte[] input = Bytes.concat(crlf("POST http://a/ HTTP/1.1\nTransfer-Encoding: gzip, chunked\n\n"),
        Bytes.ascii("4\nwiki\r\n5;e\r\npedia\n0\r\nT: v\n\r\n"), crlf("GET http://a/next HTTP/1.1\n\n"));
    Run r = runAllWays(ProxyAuth.none(), input);
    assertEquals(List.of("POST a:80 new", "GET a:80"), r.heads());
    assertEquals("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: gzip, chunked\n\n"
        + "4\nwiki\n5;e\npedia\n0\nT: v\n\n"
        + "GET /next HTTP/1.1\nHost: a\n\n", r.toOrigin().get("a:80"));
  }

  @Test
  void bodiesAreSlicesOfTheInputNotCopies() {
    byte[] body = new byte[1 << 20];
    byte[] input = Bytes.concat(crlf("PUT http://a/ HTTP/1.1\nContent-Length: " + body.length + "\n\n"), body);
    HttpRequestFramer framer = new HttpRequestFramer(ProxyAuth.none(), HttpLimits.DEFAULT);
    ByteBuf in = Unpooled.wrappedBuffer(input);
    assertInstanceOf(HttpRequestFramer.RequestHead.class, framer.next(in));
    HttpRequestFramer.BodyPart part = assertInstanceOf(HttpRequestFramer.BodyPart.class, framer.next(in));
    assertTrue(part.last());
    assertEquals(body.length, part.bytes().readableBytes());
    assertSame(input, part.bytes().array(), "zero copy: the body shares the input's memory");
    assertSame(HttpRequestFramer.NeedMore.INSTANCE, framer.next(in));
    assertTrue(framer.betweenRequests());
  }

  @Test
  void connectInTheMiddleTurnsTheRestIntoTunnelBytes() {
    Run r = runAllWays(ProxyAuth.none(), Bytes.concat(
        crlf("GET http://a/ HTTP/1.1\n\nCONNECT b:443 HTTP/1.1\n\n"), Bytes.hex("16030100"),
        crlf("GET http://c/ HTTP/1.1\n\n")));
    assertEquals(List.of("GET a:80 new", "CONNECT b:443 new close"), r.heads());
    assertEquals("\u0016\u0003\u0001\u0000GET http://c/ HTTP/1.1\n\n", r.toOrigin().get("b:443"));
  }

  @Test
  void smugglingAttemptInSecondRequestIs400AfterTheFirstWasForwarded() {
    Run r = runAllWays(ProxyAuth.none(), crlf("GET http://a/ HTTP/1.1\n\n"
        + "POST http://a/ HTTP/1.1\nContent-Length: 4\nTransfer-Encoding: chunked\n\n0\n\nGET http://a/admin HTTP/1.1\n\n"));
    assertEquals(List.of("GET a:80 new"), r.heads());
    assertEquals("400 both Content-Length and Transfer-Encoding", r.failure());
    assertEquals("GET / HTTP/1.1\nHost: a\n\n", r.toOrigin().get("a:80"));
  }

  @Test
  void badChunkMidBodyIs400() {
    Run r = runAllWays(ProxyAuth.none(), crlf("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked\n\n2\nok\nzz\n"));
    assertEquals("400 bad chunk size", r.failure());
    assertEquals("POST / HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n2\nok\n", r.toOrigin().get("a:80"));
  }

  @Test
  void everyRequestIsAuthenticated() {
    String auth = "Proxy-Authorization: " + HttpProxyRequestTest.basic("alice:s3cret") + "\n";
    Run r = runAllWays(HttpProxyRequestTest.ALICE, crlf("GET http://a/1 HTTP/1.1\n" + auth + "\n"
        + "GET http://a/2 HTTP/1.1\n\n"));
    assertEquals(List.of("GET a:80 new"), r.heads());
    assertEquals("407 proxy authentication missing or wrong", r.failure());
    assertEquals("GET /1 HTTP/1.1\nHost: a\n\n", r.toOrigin().get("a:80"), "credentials are not forwarded");
  }

  @Test
  void http10RequestsCloseUnlessKeepAlive() {
    Run r = runAllWays(ProxyAuth.none(), crlf("GET http://a/ HTTP/1.0\nConnection: keep-alive\n\n"
        + "GET http://a/x HTTP/1.0\n\nGET http://a/dropped HTTP/1.0\n\n"));
    assertEquals(List.of("GET a:80 new", "GET a:80 close"), r.heads());
  }

  @Test
  void betweenRequestsTracksPartialHeads() {
    HttpRequestFramer framer = new HttpRequestFramer(ProxyAuth.none(), HttpLimits.DEFAULT);
    assertTrue(framer.betweenRequests());
    assertSame(HttpRequestFramer.NeedMore.INSTANCE, framer.next(Unpooled.wrappedBuffer(Bytes.ascii("GE"))));
    assertFalse(framer.betweenRequests());
    framer.next(Unpooled.wrappedBuffer(crlf("T http://a/ HTTP/1.1\nContent-Length: 1\n\n")));
    assertFalse(framer.betweenRequests(), "body due");
    HttpRequestFramer.Event e = framer.next(Unpooled.wrappedBuffer(Bytes.ascii("x")));
    assertTrue(((HttpRequestFramer.BodyPart) e).last());
    assertTrue(framer.betweenRequests());
  }

  @Test
  void afterFailureInputIsDiscarded() {
    HttpRequestFramer framer = new HttpRequestFramer(ProxyAuth.none(), HttpLimits.DEFAULT);
    assertInstanceOf(HttpRequestFramer.Failed.class, framer.next(Unpooled.wrappedBuffer(new byte[] {0})));
    ByteBuf more = Unpooled.wrappedBuffer(crlf("GET http://a/ HTTP/1.1\n\n"));
    assertSame(HttpRequestFramer.NeedMore.INSTANCE, framer.next(more));
    assertFalse(more.isReadable());
  }
}
