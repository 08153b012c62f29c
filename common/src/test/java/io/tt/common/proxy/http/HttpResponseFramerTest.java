package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.Bytes;
import io.tt.common.proxy.ProxyDriver;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.tt.common.proxy.Bytes.crlf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Origin-to-client framing: where each response ends, over keep-alive sequences, whole and split. */
class HttpResponseFramerTest {

  static HttpProxyRequest get() {
    return HttpProxyRequestTest.judge("GET http://a/ HTTP/1.1\n\n");
  }

  static HttpProxyRequest head() {
    return HttpProxyRequestTest.judge("HEAD http://a/ HTTP/1.1\n\n");
  }

  /** Heads and response ends seen, the bytes forwarded, the end-of-input verdict and any failure. */
  record Run(List<String> events, String forwarded, boolean cleanEnd, String failure) {
  }

  static Run run(List<HttpProxyRequest> requests, List<byte[]> chunks) {
    HttpResponseFramer framer = new HttpResponseFramer(HttpLimits.DEFAULT);
    for (HttpProxyRequest r : requests) {
      assertTrue(framer.expectResponseTo(r));
    }
    List<String> events = new ArrayList<>();
    StringBuilder forwarded = new StringBuilder();
    String failure = null;
    outer:
    for (byte[] chunk : chunks) {
      ByteBuf in = Unpooled.wrappedBuffer(chunk);
      while (true) {
        HttpResponseFramer.Event e = framer.next(in);
        if (e instanceof HttpResponseFramer.NeedMore) {
          assertFalse(in.isReadable());
          break;
        }
        if (e instanceof HttpResponseFramer.ResponseHead h) {
          forwarded.append(Bytes.text(h.bytes()));
          events.add(h.status() + (h.interim() ? " interim" : "") + (h.bodyFollows() ? " body" : " done")
              + (h.untilClose() ? " until-close" : "") + (h.originCloses() ? " origin-closes" : ""));
        } else if (e instanceof HttpResponseFramer.BodyPart b) {
          forwarded.append(Bytes.text(b.bytes()));
          if (b.last()) {
            events.add("end");
          }
        } else if (e instanceof HttpResponseFramer.Failed f) {
          failure = f.reason() + (f.responseStarted() ? " (started)" : " (not started)");
          break outer;
        }
      }
    }
    return new Run(events, forwarded.toString(), failure == null && framer.endOfInput(), failure);
  }

  static Run runAllWays(List<HttpProxyRequest> requests, byte[] input) {
    Run whole = run(requests, List.of(input));
    assertEquals(whole, run(requests, ProxyDriver.split(input, 1)), "one byte at a time");
    for (int at = 0; at <= input.length; at++) {
      assertEquals(whole, run(requests, ProxyDriver.cutAt(input, at)), "cut at " + at);
    }
    return whole;
  }

  @Test
  void keepAliveSequenceWithEveryKindOfEnd() {
    String responses = ""
        + "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"
        + "HTTP/1.1 100 Continue\n\n"
        + "HTTP/1.1 103 Early Hints\nLink: </s.css>\n\n"
        + "HTTP/1.1 201 Created\nTransfer-Encoding: chunked\n\n4;x\nwiki\n0\nT: 1\n\n"
        + "HTTP/1.1 200 OK\nContent-Length: 1000\n\n"            // response to HEAD: no body
        + "HTTP/1.1 204 No Content\nContent-Length: 7\n\n"       // 204: no body whatever it says
        + "HTTP/1.1 304 Not Modified\nTransfer-Encoding: chunked\n\n"
        + "HTTP/1.1 200\nContent-Length: 0\n\n"                  // no reason phrase
        + "HTTP/1.1 200 OK\n\nstreamed until close";
    byte[] input = crlf(responses);
    Run r = runAllWays(List.of(get(), get(), head(), get(), get(), get(), get()), input);
    assertEquals(List.of(
        "200 body", "end",
        "100 interim done", "103 interim done", "201 body", "end",
        "200 done",
        "204 done",
        "304 done",
        "200 done",
        "200 body until-close origin-closes"), r.events());
    assertEquals(Bytes.text(input), r.forwarded(), "forwarded verbatim");
    assertEquals(null, r.failure());
    assertTrue(r.cleanEnd(), "a close-delimited body ends cleanly at EOF");
  }

  @Test
  void originClosesFlags() {
    assertEquals(List.of("200 body origin-closes", "end"), runAllWays(List.of(get()),
        crlf("HTTP/1.1 200 OK\nConnection: close\nContent-Length: 2\n\nok")).events());
    assertEquals(List.of("200 body origin-closes", "end"), runAllWays(List.of(get()),
        crlf("HTTP/1.0 200 OK\nContent-Length: 2\n\nok")).events());
    assertEquals(List.of("200 body", "end"), runAllWays(List.of(get()),
        crlf("HTTP/1.0 200 OK\nConnection: keep-alive\nContent-Length: 2\n\nok")).events());
  }

  @Test
  void bytesAfterAClosingResponseAreRefused() {
    Run r = runAllWays(List.of(get(), get()),
        crlf("HTTP/1.1 200 OK\nConnection: close\nContent-Length: 2\n\nokHTTP/1.1 200 OK\n\n"));
    assertEquals("bytes after the origin's last response (not started)", r.failure());
  }

  @Test
  void unframeableResponsesFailBeforeAnyByteIsForwarded() {
    assertEquals("both Content-Length and Transfer-Encoding in response (not started)", runAllWays(List.of(get()),
        crlf("HTTP/1.1 200 OK\nContent-Length: 3\nTransfer-Encoding: chunked\n\n0\n\n")).failure());
    assertEquals("unexpected 101 Switching Protocols (not started)", runAllWays(List.of(get()),
        crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n")).failure());
    assertEquals("malformed status line (not started)", runAllWays(List.of(get()),
        crlf("HTTP/1.1 2000 OK\n\n")).failure());
    assertEquals("status code out of range (not started)", runAllWays(List.of(get()),
        crlf("HTTP/1.1 099 Hm\n\n")).failure());
    assertEquals("HTTP version not supported (not started)", runAllWays(List.of(get()),
        crlf("HTTP/2.0 200 OK\n\n")).failure());
    assertEquals("repeated Content-Length (not started)", runAllWays(List.of(get()),
        crlf("HTTP/1.1 200 OK\nContent-Length: 1\nContent-Length: 1\n\nx")).failure());
    assertEquals("obsolete line folding (not started)", runAllWays(List.of(get()),
        crlf("HTTP/1.1 200 OK\nX: a\n b\n\n")).failure());
    Run r = runAllWays(List.of(get()), crlf("HTTP/1.1 200 OK\nContent-Length: 3\nTransfer-Encoding: chunked\n\n"));
    assertEquals("", r.forwarded(), "nothing of a refused head reaches the client");
  }

  @Test
  void responseWithoutRequestIsRefused() {
    assertEquals("response without a request (not started)",
        runAllWays(List.of(), crlf("HTTP/1.1 408 Request Timeout\n\n")).failure());
  }

  @Test
  void badChunkMidBodyFailsAfterTheResponseStarted() {
    Run r = runAllWays(List.of(get()), crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\nXX\n"));
    assertEquals("bad chunk size (started)", r.failure());
  }

  @Test
  void truncatedResponsesAreNotACleanEnd() {
    assertFalse(run(List.of(get()), List.of(crlf("HTTP/1.1 200 OK\nContent-Length: 5\n\nhel"))).cleanEnd());
    assertFalse(run(List.of(get()), List.of(crlf("HTTP/1.1 200 OK\nContent-Le"))).cleanEnd());
    assertFalse(run(List.of(get()), List.of()).cleanEnd(), "a response was still due");
    assertTrue(run(List.of(get()), List.of(crlf("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"))).cleanEnd());
  }

  @Test
  void idleOnlyWhenEveryResponseIsComplete() {
    HttpResponseFramer framer = new HttpResponseFramer(HttpLimits.DEFAULT);
    assertTrue(framer.idle());
    framer.expectResponseTo(get());
    framer.expectResponseTo(get());
    assertFalse(framer.idle());
    assertEquals(2, framer.pendingResponses());
    ByteBuf in = Unpooled.wrappedBuffer(crlf("HTTP/1.1 200 OK\nContent-Length: 1\n\nx"));
    assertInstanceOf(HttpResponseFramer.ResponseHead.class, framer.next(in));
    assertEquals(1, framer.pendingResponses());
    assertFalse(framer.idle());
    assertTrue(((HttpResponseFramer.BodyPart) framer.next(in)).last());
    assertFalse(framer.idle(), "one more response due");
    framer.next(Unpooled.wrappedBuffer(crlf("HTTP/1.1 204 No Content\n\n")));
    assertTrue(framer.idle());
  }

  @Test
  void pipeliningDepthIsCapped() {
    HttpResponseFramer framer = new HttpResponseFramer(HttpLimits.DEFAULT);
    for (int i = 0; i < HttpLimits.DEFAULT.maxPendingResponses(); i++) {
      assertTrue(framer.expectResponseTo(get()));
    }
    assertFalse(framer.expectResponseTo(get()));
  }

  @Test
  void headsWithinOneBufferAreSlicesNotCopies() {
    byte[] input = crlf("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
    HttpResponseFramer framer = new HttpResponseFramer(HttpLimits.DEFAULT);
    framer.expectResponseTo(get());
    HttpResponseFramer.ResponseHead h = (HttpResponseFramer.ResponseHead) framer.next(Unpooled.wrappedBuffer(input));
    assertSame(input, h.bytes().array());
  }

  @Test
  void hugeResponseHeadIsRefused() {
    Run r = run(List.of(get()), List.of(crlf("HTTP/1.1 200 OK\nX: " + "v".repeat(70_000) + "\n\n")));
    assertEquals("head too large (not started)", r.failure());
  }

  @Test
  void afterFailureInputIsDiscarded() {
    HttpResponseFramer framer = new HttpResponseFramer(HttpLimits.DEFAULT);
    assertInstanceOf(HttpResponseFramer.Failed.class, framer.next(Unpooled.wrappedBuffer(new byte[] {'x'})));
    ByteBuf more = Unpooled.wrappedBuffer(new byte[] {'y'});
    assertSame(HttpResponseFramer.NeedMore.INSTANCE, framer.next(more));
    assertFalse(more.isReadable());
  }
}
