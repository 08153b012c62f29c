package io.tt.client.hostile;

import io.tt.client.e2e.Curl;
import io.tt.client.e2e.TestOrigin;
import io.tt.client.e2e.TtHarness;
import io.tt.common.crypto.MasterKey;
import io.tt.common.schedule.PortRange;
import io.tt.common.schedule.PortSchedule;
import io.tt.common.wire.SessionKeys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a prober does and sees over a real socket: every read is bounded by a timeout, so no test hangs on a
 * server that says nothing. Messages name lengths and states, never key material.
 */
final class Probe {

  /** What came back: the bytes, whether the peer closed (EOF or reset), and when (ms after the write). */
  record Answer(byte[] bytes, boolean closed, long closedAfterMillis) {

    String text() {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** nginx 1.24.0's status line and Server header, as the fake site writes them. */
    boolean isNginx(int status) {
      return text().startsWith("HTTP/1.1 " + status + " ") && text().contains("\r\nServer: nginx/1.24.0\r\n");
    }

    String head() {
      String t = text();
      int end = t.indexOf("\r\n\r\n");
      return end < 0 ? t.substring(0, Math.min(t.length(), 120)) : t.substring(0, end);
    }
  }

  private Probe() {
  }

  /**
   * A harness whose port range lies below Linux's ephemeral ports (32768-60999) and is free right now. TtHarness
   * draws from 20000-59999: on a machine with many loopback connections in TIME_WAIT a port there is often taken
   * as a source port, its bind fails ("will retry next slot") and the port refuses connections for a whole slot,
   * which would make these tests fail for a reason that is not theirs (reported to the lead).
   */
  static TtHarness harness(int rangeSize, String method) throws Exception {
    TtHarness h = new TtHarness(rangeSize, 60, method);
    java.util.Random r = new java.util.Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20000 + r.nextInt(32768 - 20000 - rangeSize);
      if (allFree(base, base + rangeSize - 1)) {
        String range = base + "-" + (base + rangeSize - 1);
        h.serverConfig.put("port-range", range);
        h.clientConfig.put("port-range", range);
        return h;
      }
    }
    return h;
  }

  private static boolean allFree(int from, int to) {
    for (int p = from; p <= to; p++) {
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", p));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  static PortSchedule schedule(TtHarness h) {
    return new PortSchedule(SessionKeys.portScheduleKey(MasterKey.derive(h.serverConfig.getString("key"))),
        PortRange.parse(h.serverConfig.getString("port-range")), h.serverConfig.getInteger("slot-seconds"));
  }

  static int currentPort(TtHarness h) {
    PortSchedule s = schedule(h);
    return s.portFor(s.slotAt(System.currentTimeMillis()));
  }

  static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 3000);
    s.setTcpNoDelay(true);
    return s;
  }

  /** Sends {@code bytes} (a reset while writing is fine: the peer may answer and close first), then reads. */
  static Answer exchange(int port, byte[] bytes, long readMillis) throws IOException {
    try (Socket s = connect(port)) {
      long start = System.nanoTime();
      try {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
      } catch (IOException e) {
        // the site answered and closed while we were still writing: what it sent is still readable
      }
      return read(s, readMillis, start);
    }
  }

  /** Reads until the peer closes or {@code millis} pass with the connection open. */
  static Answer read(Socket s, long millis, long startNanos) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long deadline = System.nanoTime() + millis * 1_000_000L;
    byte[] buf = new byte[16384];
    InputStream in = s.getInputStream();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return new Answer(out.toByteArray(), false, -1);
      }
      s.setSoTimeout((int) Math.max(1, left));
      try {
        int n = in.read(buf);
        if (n < 0) {
          return new Answer(out.toByteArray(), true, (System.nanoTime() - startNanos) / 1_000_000L);
        }
        out.write(buf, 0, n);
      } catch (SocketTimeoutException e) {
        // loop: the deadline decides
      } catch (IOException e) {
        return new Answer(out.toByteArray(), true, (System.nanoTime() - startNanos) / 1_000_000L);
      }
    }
  }

  /** A good client through the local proxy: 1 MiB via SOCKS5 and via the HTTP proxy, sha256 equal. */
  static void goodClientWorks(TtHarness h, TestOrigin origin) throws Exception {
    long n = 1 << 20;
    String url = "http://127.0.0.1:" + origin.port() + "/bytes/" + n;
    String expected = TestOrigin.sha256Of(n);
    Curl.Result socks = Curl.sha256(30, "-x", h.socksUrl(), url);
    assertEquals(0, socks.exit(), "curl through SOCKS5: " + socks.stderr());
    assertEquals(expected, socks.stdout(), "bytes through SOCKS5");
    Curl.Result http = Curl.sha256(30, "--proxy", h.httpProxyUrl(), url);
    assertEquals(0, http.exit(), "curl through the HTTP proxy: " + http.stderr());
    assertEquals(expected, http.stdout(), "bytes through the HTTP proxy");
  }

  static void assertNginxOrBoundedClose(Answer a, String what) {
    if (a.bytes().length > 0) {
      assertTrue(a.text().startsWith("HTTP/1.1 ") && a.text().contains("\r\nServer: nginx/1.24.0\r\n"),
          what + ": not the web site's answer: " + a.head());
    } else {
      assertTrue(a.closed() || a.closedAfterMillis() < 0, what + ": neither an answer nor a close");
    }
  }
}
