package io.tt.common.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.HandshakeResult;
import io.tt.common.proxy.HostNames;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.proxy.ProxyDriver;
import io.tt.common.proxy.ProxyHandshake;
import io.tt.common.proxy.http.HttpLimits;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local proxy's first bytes (SOCKS5 or HTTP on one port) through {@link ProxyHandshake#feed} and, after a
 * Connect, the HTTP request framer, played by the test handler {@link ProxyDriver}. Every input runs with no
 * authentication and with a user/password, under the default HTTP limits and under small ones.
 *
 * <p>Invariants: nothing thrown (feed's catch-all "internal error" Fail counts as a failure: it hides a parser
 * exception); the transcript (what the client and each tunnel receive, how it ends) is the same whole, one byte at
 * a time, and cut at seeded random places; feed consumes all input; between results the handshake keeps under 513
 * unparsed SOCKS5 bytes and no unparsed HTTP bytes, and the HTTP line buffer stays within the head cap; a Connect
 * names a valid host and a port in 1..65535.
 */
class ProxyHandshakeFuzzTest {

  static final ProxyAuth ALICE = ProxyAuth.usernamePassword("alice", "s3cret");
  static final HttpLimits SMALL = new HttpLimits(64, 512, 8, 16, 2);

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void firstBytes(byte[] data) {
    for (ProxyAuth auth : List.of(ProxyAuth.none(), ALICE)) {
      for (HttpLimits limits : List.of(HttpLimits.DEFAULT, SMALL)) {
        check(data, auth, limits);
      }
    }
  }

  static void check(byte[] data, ProxyAuth auth, HttpLimits limits) {
    String whole = ProxyDriver.run(auth, limits, List.of(data)).toString();
    assertFalse(whole.contains("internal error"), "a parser threw: " + outcome(whole));
    for (List<byte[]> pieces : splits(data)) {
      assertEquals(whole, ProxyDriver.run(auth, limits, pieces).toString(), "same input, other split");
      bounded(pieces, auth, limits);
    }
  }

  /** One byte at a time (first 4 KiB), and three random three-way cuts seeded by the input. */
  static List<List<byte[]>> splits(byte[] data) {
    List<List<byte[]>> out = new ArrayList<>();
    if (data.length <= 4096) {
      out.add(Fuzz.chunks(data, 1));
    }
    Random r = new Random(Arrays.hashCode(data));
    for (int i = 0; i < 3; i++) {
      int a = r.nextInt(data.length + 1);
      int b = r.nextInt(data.length + 1);
      int lo = Math.min(a, b);
      int hi = Math.max(a, b);
      out.add(List.of(Arrays.copyOfRange(data, 0, lo), Arrays.copyOfRange(data, lo, hi),
          Arrays.copyOfRange(data, hi, data.length)));
    }
    return out;
  }

  /** Feeds the handshake directly and looks at what it keeps between results. */
  static void bounded(List<byte[]> pieces, ProxyAuth auth, HttpLimits limits) {
    ProxyHandshake hs = new ProxyHandshake(auth, limits);
    for (byte[] piece : pieces) {
      ByteBuf in = Unpooled.wrappedBuffer(piece);
      HandshakeResult r = hs.feed(in);
      assertEquals(0, in.readableBytes(), "feed left input unread");
      if (r instanceof HandshakeResult.Fail || r instanceof HandshakeResult.Connect) {
        if (r instanceof HandshakeResult.Connect c) {
          assertTrue(HostNames.isValidHost(c.target().host()), "Connect to an invalid host");
          assertTrue(c.target().port() >= 1 && c.target().port() <= 65535, "Connect to port " + c.target().port());
        }
        return;
      }
      ByteBuf kept = (ByteBuf) Fuzz.field(hs, "buffer");
      if ("socks5".equals(hs.protocol())) {
        assertTrue(kept.readableBytes() < 513, "SOCKS5 handshake keeps " + kept.readableBytes() + " bytes");
      } else if ("http".equals(hs.protocol())) {
        assertEquals(0, kept.readableBytes(), "HTTP handshake keeps unparsed bytes");
        Object framer = Fuzz.field(Fuzz.field(hs, "http"), "framer");
        ByteBuf partial = (ByteBuf) Fuzz.field(Fuzz.field(Fuzz.field(framer, "parser"), "lines"), "partial");
        assertTrue(partial.readableBytes() <= limits.maxHeadBytes(), "line buffer " + partial.readableBytes());
        assertTrue(partial.capacity() <= 4 * limits.maxHeadBytes() + 256, "line buffer capacity " + partial.capacity());
      }
    }
  }

  private static String outcome(String transcript) {
    int bar = transcript.indexOf(" | ");
    return bar < 0 ? transcript : transcript.substring(0, bar);
  }
}
