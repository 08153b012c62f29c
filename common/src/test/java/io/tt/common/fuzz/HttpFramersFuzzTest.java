package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.proxy.http.HttpLimits;
import io.tt.common.proxy.http.HttpProxyRequest;
import io.tt.common.proxy.http.HttpRequestFramer;
import io.tt.common.proxy.http.HttpResponseFramer;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keep-alive HTTP framers on arbitrary streams, whole and split (see {@link ProxyHandshakeFuzzTest#splits}).
 *
 * <p>{@link #requests}: the client-to-origin framer. Invariants: never throws; NeedMore only with the input used
 * up; a BodyPart is exactly the bytes it consumed (forwarded verbatim); a Content-Length body forwards exactly that
 * many bytes before {@code last}; after Failed every byte is discarded; the transcript (heads as rewritten for the
 * origin, body bytes, the failure status) is the same however the stream is split.
 *
 * <p>{@link #responses}: the origin-to-client framer after 1..8 forwarded requests (GET or HEAD, chosen by the
 * first input byte). Invariants: never throws; NeedMore only with the input used up; everything forwarded (heads
 * and body parts, in order) is a verbatim prefix of the origin's bytes; the partial head it gathers stays within
 * the head cap; the transcript (statuses, flags, forwarded bytes, failure) is the same however the stream is split.
 */
class HttpFramersFuzzTest {

  static final HttpLimits SMALL = ProxyHandshakeFuzzTest.SMALL;

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void requests(byte[] data) {
    for (HttpLimits limits : List.of(HttpLimits.DEFAULT, SMALL)) {
      String whole = runRequests(List.of(data), limits);
      for (List<byte[]> pieces : ProxyHandshakeFuzzTest.splits(data)) {
        assertEquals(whole, runRequests(pieces, limits), "same stream, other split");
      }
    }
  }

  static String runRequests(List<byte[]> pieces, HttpLimits limits) {
    HttpRequestFramer framer = new HttpRequestFramer(ProxyAuth.none(), limits);
    StringBuilder t = new StringBuilder();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    long fixedLeft = -1;
    boolean failed = false;
    for (byte[] piece : pieces) {
      ByteBuf in = Unpooled.wrappedBuffer(piece);
      while (true) {
        int start = in.readerIndex();
        HttpRequestFramer.Event e = framer.next(in);
        if (e instanceof HttpRequestFramer.NeedMore) {
          assertEquals(0, in.readableBytes(), "NeedMore with input left");
          break;
        }
        assertTrue(!failed, "an event after Failed");
        if (e instanceof HttpRequestFramer.RequestHead h) {
          flush(t, body);
          HttpProxyRequest r = h.request();
          t.append("HEAD[").append(r.kind()).append(' ').append(r.target()).append(h.newTarget() ? " new" : "")
              .append(r.keepAlive() ? " ka" : "").append(' ').append(r.body().kind()).append(' ')
              .append(ByteBufUtil.hexDump(r.headForOrigin())).append("]\n");
          fixedLeft = r.body().kind() == io.tt.common.proxy.http.HttpBodyFraming.Kind.LENGTH ? r.body().length() : -1;
        } else if (e instanceof HttpRequestFramer.BodyPart b) {
          byte[] consumed = Arrays.copyOfRange(piece, start, in.readerIndex());
          assertArrayEquals(consumed, Fuzz.bytesOf(b.bytes()), "a body part is not the bytes it consumed");
          body.writeBytes(consumed);
          if (fixedLeft >= 0) {
            fixedLeft -= consumed.length;
            assertTrue(fixedLeft >= 0, "forwarded more than Content-Length");
            assertEquals(fixedLeft == 0, b.last(), "last flag vs Content-Length");
          }
          if (b.last()) {
            flush(t, body);
            t.append("END\n");
          }
        } else if (e instanceof HttpRequestFramer.Failed f) {
          flush(t, body);
          t.append("FAILED ").append(f.status()).append(' ')
              .append(f.response().toString(StandardCharsets.ISO_8859_1).split("\r\n", 2)[0]).append('\n');
          failed = true;
        }
      }
    }
    flush(t, body);
    return t.toString();
  }

  private static void flush(StringBuilder t, ByteArrayOutputStream body) {
    if (body.size() > 0) {
      t.append("BODY ").append(ByteBufUtil.hexDump(body.toByteArray())).append('\n');
      body.reset();
    }
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void responses(byte[] data) {
    int control = data.length == 0 ? 0 : data[0] & 0xff;
    byte[] origin = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
    int count = (control & 7) + 1;
    List<HttpProxyRequest> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(request((control >> (3 + (i % 5)) & 1) == 1 ? "HEAD" : "GET"));
    }
    for (HttpLimits limits : List.of(HttpLimits.DEFAULT, SMALL)) {
      String whole = runResponses(List.of(origin), requests, limits);
      for (List<byte[]> pieces : ProxyHandshakeFuzzTest.splits(origin)) {
        assertEquals(whole, runResponses(pieces, requests, limits), "same stream, other split");
      }
    }
  }

  static HttpProxyRequest request(String method) {
    HttpRequestFramer f = new HttpRequestFramer(ProxyAuth.none(), HttpLimits.DEFAULT);
    HttpRequestFramer.Event e = f.next(Unpooled.copiedBuffer(method + " http://origin.test/ HTTP/1.1\r\n\r\n",
        StandardCharsets.US_ASCII));
    return ((HttpRequestFramer.RequestHead) e).request();
  }

  static String runResponses(List<byte[]> pieces, List<HttpProxyRequest> requests, HttpLimits limits) {
    HttpResponseFramer framer = new HttpResponseFramer(limits);
    for (HttpProxyRequest r : requests) {
      if (!framer.expectResponseTo(r)) {
        break;
      }
    }
    byte[] all = Fuzz.concat(pieces.toArray(new byte[0][]));
    ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
    StringBuilder t = new StringBuilder();
    boolean failed = false;
    for (byte[] piece : pieces) {
      ByteBuf in = Unpooled.wrappedBuffer(piece);
      while (true) {
        HttpResponseFramer.Event e = framer.next(in);
        ByteBuf headCopy = (ByteBuf) Fuzz.field(framer, "headCopy");
        assertTrue(headCopy.readableBytes() <= limits.maxHeadBytes(), "gathered head " + headCopy.readableBytes());
        if (e instanceof HttpResponseFramer.NeedMore) {
          assertEquals(0, in.readableBytes(), "NeedMore with input left");
          break;
        }
        assertTrue(!failed, "an event after Failed");
        if (e instanceof HttpResponseFramer.ResponseHead h) {
          forwarded.writeBytes(Fuzz.bytesOf(h.bytes()));
          t.append("HEAD ").append(h.status()).append(h.interim() ? " interim" : "")
              .append(h.bodyFollows() ? " body" : "").append(h.untilClose() ? " untilClose" : "")
              .append(h.originCloses() ? " closes" : "").append(" at ").append(forwarded.size()).append('\n');
        } else if (e instanceof HttpResponseFramer.BodyPart b) {
          forwarded.writeBytes(Fuzz.bytesOf(b.bytes()));
          if (b.last()) {
            t.append("END at ").append(forwarded.size()).append('\n');
          }
        } else if (e instanceof HttpResponseFramer.Failed f) {
          t.append("FAILED ").append(f.reason()).append(f.responseStarted() ? " started" : "").append('\n');
          failed = true;
        }
        byte[] fw = forwarded.toByteArray();
        assertTrue(fw.length <= all.length && Arrays.equals(fw, Arrays.copyOf(all, fw.length)),
            "forwarded bytes are not a verbatim prefix of the origin's");
      }
    }
    t.append("forwarded ").append(forwarded.size()).append(" idle=").append(framer.idle())
        .append(" cleanEnd=").append(framer.endOfInput());
    return t.toString();
  }
}
