package io.tt.server.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tt.server.fakesite.BuiltInSite;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fake site's request cycle (nginx's parsers and state machine in {@link BuiltInSite}) without I/O: a
 * synchronous stand-in socket and Vert.x (dynamic proxies) deliver the prober's bytes, whole, one byte at a time
 * (first 2 KiB) and cut at seeded random places, collect what the site writes, and run its timers on demand.
 *
 * <p>Invariants: every write is one whole nginx answer ({@code HTTP/1.1 DDD}, {@code Server: nginx/1.24.0} as
 * the second line, a head end, a body matching Content-Length or a complete chunked body, or none for HEAD), a
 * {@code 100 Continue}, or an HTTP/0.9 body; the site never closes without having answered unless one of its
 * timers fired (a silent close otherwise means an exception was swallowed by its catch-all); once all its timers
 * have run, the connection is closed (nothing lives forever); the first answer's status is the same however the
 * bytes were split.
 */
class FakeSiteFuzzTest {

  static final Vertx VERTX = fakeVertx();
  static final BuiltInSite SITE = new BuiltInSite(VERTX, new BuiltInSite.Options().contentMtime(1_700_000_000L));
  static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) [^\\r\\n]*\\r\\nServer: nginx/1\\.24\\.0\\r\\n");
  static final Pattern LENGTH = Pattern.compile("\\r\\nContent-Length: (\\d+)\\r\\n");

  /** Timers of the current run: id -> (delay, handler), in the order they would fire. */
  static final TreeMap<Long, Object[]> TIMERS = new TreeMap<>();
  static long nextTimer;

  @FuzzTest(maxDuration = "5m")
  @Timeout(120)
  void requestCycle(byte[] data) {
    if (data.length > 200_000) {
      return; // beyond the site's 64 KiB buffer + 256 KiB stash it closes on purpose
    }
    // Cuts anywhere: every invariant but the comparison. Cuts inside the first head (the head's last byte arriving
    // with everything after it): the first answer must not depend on them. A body that arrives after the answer
    // may change what follows (nginx answers first and discards later), so those cuts are not compared.
    int headEnd = headEnd(data);
    List<List<byte[]>> splits = new ArrayList<>();
    List<Boolean> compared = new ArrayList<>();
    splits.add(List.of(data));
    compared.add(false);
    if (data.length <= 2048) {
      splits.add(chunks(data, 1));
      compared.add(false);
      splits.add(cut(data, range(Math.max(0, headEnd - 1))));
      compared.add(true);
    }
    Random r = new Random(Arrays.hashCode(data));
    for (int i = 0; i < 3; i++) {
      int a = r.nextInt(data.length + 1);
      int b = r.nextInt(data.length + 1);
      splits.add(cut(data, new int[] {Math.min(a, b), Math.max(a, b)}));
      compared.add(false);
      int limit = Math.max(0, headEnd - 1);
      splits.add(cut(data, new int[] {Math.min(Math.min(a, b), limit), Math.min(Math.max(a, b), limit)}));
      compared.add(true);
    }
    Integer whole = null;
    for (int i = 0; i < splits.size(); i++) {
      Run run = run(splits.get(i));
      Integer status = run.firstStatus();
      if (i == 0) {
        whole = status;
      } else if (compared.get(i) && !run.stalled) {
        assertEquals(whole, status, "first answer depends on how the first head was split");
      }
    }
  }

  /** Index after the first empty line (CRLF or bare LF line ends), or the length when there is none. */
  static int headEnd(byte[] d) {
    for (int i = 1; i < d.length; i++) {
      if (d[i] == '\n' && (d[i - 1] == '\n' || (i >= 2 && d[i - 1] == '\r' && d[i - 2] == '\n'))) {
        return i + 1;
      }
    }
    return d.length;
  }

  static int[] range(int n) {
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = i + 1;
    }
    return r;
  }

  /** {@code data} cut at the given ascending positions. */
  static List<byte[]> cut(byte[] data, int[] at) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int p : at) {
      out.add(Arrays.copyOfRange(data, from, Math.max(from, p)));
      from = Math.max(from, p);
    }
    out.add(Arrays.copyOfRange(data, from, data.length));
    return out;
  }

  /** One connection's life. */
  static final class Run {
    final List<byte[]> writes = new ArrayList<>();
    Handler<Buffer> handler;
    boolean paused;
    boolean closed;
    boolean timerFired;
    boolean stalled;

    Integer firstStatus() {
      for (byte[] w : writes) {
        Matcher m = STATUS.matcher(text(w));
        if (m.find() && !m.group(1).equals("100")) {
          return Integer.parseInt(m.group(1));
        }
      }
      return null;
    }
  }

  static Run run(List<byte[]> pieces) {
    TIMERS.clear();
    Run run = new Run();
    NetSocket socket = socket(run);
    SITE.takeOver(socket, Buffer.buffer(pieces.get(0)));
    for (int i = 1; i < pieces.size() && !run.closed; i++) {
      if (run.paused) {
        run.stalled = true;
        break;
      }
      if (run.handler == null) {
        fail("the site owns the socket but reads nothing");
      }
      run.handler.handle(Buffer.buffer(pieces.get(i)));
    }
    if (run.closed && run.writes.isEmpty()) {
      fail("closed without answering and without a timeout (an exception swallowed?)");
    }
    for (byte[] w : run.writes) {
      checkAnswer(w);
    }
    // Let time pass: every timer fires (each may arm the next); the connection must end.
    for (int round = 0; round < 50 && !run.closed && !TIMERS.isEmpty(); round++) {
      Long next = TIMERS.entrySet().stream().min((x, y) -> Long.compare((Long) x.getValue()[0],
          (Long) y.getValue()[0])).orElseThrow().getKey();
      Object[] t = TIMERS.remove(next);
      run.timerFired = true;
      @SuppressWarnings("unchecked")
      Handler<Long> h = (Handler<Long>) t[1];
      h.handle(0L);
    }
    assertTrue(run.closed, "the connection outlives every timer (" + (run.paused ? "paused" : "reading") + ")");
    return run;
  }

  static void checkAnswer(byte[] w) {
    String s = text(w);
    if (s.equals("HTTP/1.1 100 Continue\r\n\r\n")) {
      return;
    }
    if (!s.startsWith("HTTP/")) {
      assertTrue(w.length > 0, "an empty write");
      return; // HTTP/0.9: the body alone
    }
    Matcher m = STATUS.matcher(s);
    assertTrue(m.find(), "not an nginx status line and Server header: " + head(s));
    int end = s.indexOf("\r\n\r\n");
    assertTrue(end > 0, "no end of head");
    String head = s.substring(0, end + 2);
    int bodyLen = w.length - end - 4;
    Matcher cl = LENGTH.matcher(head);
    if (cl.find()) {
      long n = Long.parseLong(cl.group(1));
      assertTrue(bodyLen == n || bodyLen == 0, "Content-Length " + n + " with a body of " + bodyLen);
    } else if (head.contains("\r\nTransfer-Encoding: chunked\r\n") && bodyLen > 0) {
      assertTrue(s.endsWith("0\r\n\r\n"), "chunked body does not end");
    }
  }

  static String head(String s) {
    int end = s.indexOf("\r\n\r\n");
    return end < 0 ? s.substring(0, Math.min(80, s.length())) : s.substring(0, end);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  static List<byte[]> chunks(byte[] data, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < data.length; i += size) {
      out.add(Arrays.copyOfRange(data, i, Math.min(data.length, i + size)));
    }
    if (out.isEmpty()) {
      out.add(new byte[0]);
    }
    return out;
  }

  // ---------------------------------------------------------------- stand-ins

  @SuppressWarnings("unchecked")
  static NetSocket socket(Run run) {
    return (NetSocket) Proxy.newProxyInstance(FakeSiteFuzzTest.class.getClassLoader(), new Class<?>[] {NetSocket.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "handler" -> run.handler = (Handler<Buffer>) args[0];
            case "pause" -> run.paused = true;
            case "resume" -> run.paused = false;
            case "fetch", "endHandler", "closeHandler", "exceptionHandler", "drainHandler",
                "setWriteQueueMaxSize" -> { }
            case "write" -> {
              assertTrue(!run.closed, "write after close");
              run.writes.add(((Buffer) args[0]).getBytes());
              return Future.succeededFuture();
            }
            case "writeQueueFull" -> {
              return false;
            }
            case "close", "end" -> {
              run.closed = true;
              return Future.succeededFuture();
            }
            case "hashCode" -> {
              return System.identityHashCode(proxy);
            }
            case "equals" -> {
              return proxy == args[0];
            }
            case "toString" -> {
              return "FakeSocket";
            }
            default -> throw new UnsupportedOperationException("NetSocket." + method.getName());
          }
          return method.getReturnType().isInstance(proxy) ? proxy : null;
        });
  }

  @SuppressWarnings("unchecked")
  static Vertx fakeVertx() {
    Context context = (Context) Proxy.newProxyInstance(FakeSiteFuzzTest.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, args) -> {
          if (method.getName().equals("runOnContext")) {
            ((Handler<Void>) args[0]).handle(null);
            return null;
          }
          throw new UnsupportedOperationException("Context." + method.getName());
        });
    return (Vertx) Proxy.newProxyInstance(FakeSiteFuzzTest.class.getClassLoader(), new Class<?>[] {Vertx.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "getOrCreateContext" -> {
              return context;
            }
            case "setTimer" -> {
              long id = ++nextTimer;
              TIMERS.put(id, new Object[] {args[0], args[1]});
              return id;
            }
            case "cancelTimer" -> {
              return TIMERS.remove((Long) args[0]) != null;
            }
            case "hashCode" -> {
              return 1;
            }
            default -> throw new UnsupportedOperationException("Vertx." + method.getName());
          }
        });
  }
}
