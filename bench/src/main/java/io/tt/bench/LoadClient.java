package io.tt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The bench's load client, through a SOCKS5 proxy (or straight to the origin with {@code --proxy none}).
 *
 * <ul>
 *   <li>{@code connrate}: N sequential requests of SIZE bytes, each on a new connection (SOCKS5 greeting, CONNECT,
 *   HTTP GET, close); prints the rate and the p50/p99 latency of one whole request.</li>
 *   <li>{@code scale}: opens N tunnels at once (at most WINDOW handshakes in flight), holds them all, then uses
 *   each once (GET SIZE bytes), still holding them; prints OPEN and USED lines, then waits until the release file
 *   exists (the bench measures the server meanwhile) and closes them all.</li>
 * </ul>
 * One thread; output lines are {@code key=value} pairs for bench/run.sh.
 */
public final class LoadClient {

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LoadClient connrate|scale --proxy HOST:PORT|none --target HOST:PORT --n N --size BYTES"
          + " [--warmup N] [--window N] [--timeout SECONDS] [--release-file PATH]");
      System.exit(2);
    }
    Map<String, String> o = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    InetSocketAddress proxy = "none".equals(o.getOrDefault("proxy", "none")) ? null : addr(o.get("proxy"));
    InetSocketAddress target = addr(o.getOrDefault("target", "127.0.0.1:18080"));
    int n = Integer.parseInt(o.getOrDefault("n", "2000"));
    int size = Integer.parseInt(o.getOrDefault("size", "1024"));
    switch (args[0]) {
      case "connrate" -> connRate(proxy, target, n, size, Integer.parseInt(o.getOrDefault("warmup", "200")));
      case "scale" -> new Scale(proxy, target, n, size, Integer.parseInt(o.getOrDefault("window", "256")),
          Long.parseLong(o.getOrDefault("timeout", "180")) * 1_000_000_000L,
          o.containsKey("release-file") ? Path.of(o.get("release-file")) : null).run();
      default -> {
        System.err.println("unknown mode " + args[0]);
        System.exit(2);
      }
    }
  }

  private static InetSocketAddress addr(String hostPort) {
    int i = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
  }

  static byte[] socksGreeting() {
    return new byte[] {5, 1, 0};
  }

  static byte[] socksConnect(InetSocketAddress target) {
    byte[] ip = target.getAddress().getAddress();
    byte[] m = new byte[4 + ip.length + 2];
    m[0] = 5;
    m[1] = 1;
    m[2] = 0;
    m[3] = (byte) (ip.length == 4 ? 1 : 4);
    System.arraycopy(ip, 0, m, 4, ip.length);
    m[4 + ip.length] = (byte) (target.getPort() >>> 8);
    m[5 + ip.length] = (byte) target.getPort();
    return m;
  }

  static byte[] httpGet(InetSocketAddress target, int size) {
    return ("GET /" + size + " HTTP/1.1\r\nHost: " + target.getAddress().getHostAddress() + ":" + target.getPort()
        + "\r\nUser-Agent: tt-bench\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  // ---------------------------------------------------------------- connrate

  private static void connRate(InetSocketAddress proxy, InetSocketAddress target, int n, int size, int warmup)
      throws IOException {
    byte[] get = httpGet(target, size);
    byte[] buf = new byte[65536];
    // A warm-up request that fails is counted, not fatal: it would otherwise throw the whole run away (seen once
    // through ss-local, a response cut short); the timed requests report their own failures.
    int warmFailed = 0;
    for (int i = 0; i < warmup; i++) {
      try {
        oneRequest(proxy, target, get, size, buf);
      } catch (IOException e) {
        if (warmFailed++ < 5) {
          System.err.println("warm-up request " + i + " failed: " + e);
        }
      }
    }
    long[] lat = new long[n];
    int failed = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      try {
        oneRequest(proxy, target, get, size, buf);
      } catch (IOException e) {
        if (failed++ < 5) {
          System.err.println("request " + i + " failed after " + (System.nanoTime() - s) / 1_000_000 + " ms: " + e);
        }
      }
      lat[i] = System.nanoTime() - s;
    }
    long total = System.nanoTime() - t0;
    Arrays.sort(lat);
    System.out.printf("mode=connrate n=%d failed=%d secs=%.3f rate=%.1f p50_ms=%.3f p99_ms=%.3f warm_failed=%d%n", n,
        failed, total / 1e9, n / (total / 1e9), lat[n / 2] / 1e6,
        lat[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6, warmFailed);
  }

  private static void oneRequest(InetSocketAddress proxy, InetSocketAddress target, byte[] get, int size, byte[] buf)
      throws IOException {
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(10_000);
      s.connect(proxy != null ? proxy : target, 10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      if (proxy != null) {
        out.write(socksGreeting());
        readFully(in, buf, 2);
        if (buf[0] != 5 || buf[1] != 0) {
          throw new IOException("SOCKS5 method refused");
        }
        out.write(socksConnect(target));
        readSocksReply(in, buf);
      }
      out.write(get);
      readResponse(in, buf, size);
    }
  }

  private static void readFully(InputStream in, byte[] buf, int n) throws IOException {
    int got = 0;
    while (got < n) {
      int r = in.read(buf, got, n - got);
      if (r < 0) {
        throw new IOException("closed early");
      }
      got += r;
    }
  }

  private static void readSocksReply(InputStream in, byte[] buf) throws IOException {
    readFully(in, buf, 4);
    if (buf[1] != 0) {
      throw new IOException("SOCKS5 CONNECT failed: " + buf[1]);
    }
    int rest = switch (buf[3]) {
      case 1 -> 6;
      case 4 -> 18;
      case 3 -> {
        readFully(in, buf, 1);
        yield (buf[0] & 0xff) + 2;
      }
      default -> throw new IOException("bad SOCKS5 reply");
    };
    readFully(in, buf, rest);
  }

  /** Reads headers up to the blank line, then exactly {@code size} body bytes. */
  private static void readResponse(InputStream in, byte[] buf, int size) throws IOException {
    int match = 0;
    long body = -1;
    while (true) {
      int r = in.read(buf);
      if (r < 0) {
        throw new IOException("closed before the response ended");
      }
      int i = 0;
      if (body < 0) {
        for (; i < r && match < 4; i++) {
          byte b = buf[i];
          match = (b == (match % 2 == 0 ? '\r' : '\n')) ? match + 1 : (b == '\r' ? 1 : 0);
        }
        if (match < 4) {
          continue;
        }
        body = 0;
      }
      body += r - i;
      if (body >= size) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- scale

  private static final class Conn {
    static final int CONNECTING = 0;
    static final int GREETING = 1;
    static final int CONNECT = 2;
    static final int HELD = 3;
    static final int REQUEST = 4;
    static final int DONE = 5;
    static final int FAILED = -1;

    final SocketChannel ch;
    int state = CONNECTING;
    final byte[] reply = new byte[264];
    int got;
    int need;
    int match;
    long body = -1;

    Conn(SocketChannel ch) {
      this.ch = ch;
    }
  }

  private static final class Scale {
    final InetSocketAddress proxy;
    final InetSocketAddress target;
    final int n;
    final int size;
    final int window;
    final long timeoutNanos;
    final Path release;
    final Selector sel;
    final ByteBuffer rbuf = ByteBuffer.allocate(65536);
    final List<Conn> conns = new ArrayList<>();
    final byte[] get;
    int started;
    int inFlight;
    int held;
    int done;
    int failed;

    Scale(InetSocketAddress proxy, InetSocketAddress target, int n, int size, int window, long timeoutNanos, Path release)
        throws IOException {
      this.proxy = proxy;
      this.target = target;
      this.n = n;
      this.size = size;
      this.window = window;
      this.timeoutNanos = timeoutNanos;
      this.release = release;
      this.sel = Selector.open();
      this.get = httpGet(target, size);
    }

    void run() throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      long deadline = t0 + timeoutNanos;
      // Phase 1: open every tunnel and hold it.
      while (held + failed < n && System.nanoTime() < deadline) {
        while (started < n && inFlight < window) {
          open();
        }
        loop(100);
      }
      long openNanos = System.nanoTime() - t0;
      System.out.printf("phase=open n=%d held=%d failed=%d secs=%.3f%n", n, held, failed, openNanos / 1e9);
      System.out.flush();
      // Phase 2: use each once, a window at a time, holding them all open.
      long t1 = System.nanoTime();
      Iterator<Conn> next = new ArrayList<>(conns).iterator();
      inFlight = 0;
      while (done + failed < n && System.nanoTime() < deadline) {
        while (inFlight < window && next.hasNext()) {
          Conn c = next.next();
          if (c.state == Conn.HELD) {
            send(c, get);
            if (c.state != Conn.FAILED) {
              c.state = Conn.REQUEST;
              inFlight++;
            }
          }
        }
        loop(100);
      }
      int open = 0;
      for (Conn c : conns) {
        if (c.ch.isOpen() && c.state != Conn.FAILED) {
          open++;
        }
      }
      System.out.printf("phase=used n=%d answered=%d failed=%d still_open=%d secs=%.3f%n", n, done, n - done, open,
          (System.nanoTime() - t1) / 1e9);
      System.out.flush();
      // Hold until told to let go (the bench measures the server now).
      long holdUntil = System.nanoTime() + 120_000_000_000L;
      while (release != null && !Files.exists(release) && System.nanoTime() < holdUntil) {
        sel.selectNow();
        sel.selectedKeys().clear();
        Thread.sleep(100);
      }
      for (Conn c : conns) {
        try {
          c.ch.close();
        } catch (IOException ignored) {
          // closing
        }
      }
      System.out.println("phase=closed");
    }

    void open() throws IOException {
      SocketChannel ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Conn c = new Conn(ch);
      conns.add(c);
      started++;
      inFlight++;
      try {
        if (ch.connect(proxy != null ? proxy : target)) {
          connected(c);
        } else {
          ch.register(sel, SelectionKey.OP_CONNECT, c);
        }
      } catch (IOException e) {
        fail(c);
      }
    }

    void connected(Conn c) throws IOException {
      if (proxy == null) {
        c.state = Conn.HELD;
        held++;
        inFlight--;
        c.ch.register(sel, SelectionKey.OP_READ, c);
        return;
      }
      c.state = Conn.GREETING;
      c.got = 0;
      c.need = 2;
      c.ch.register(sel, SelectionKey.OP_READ, c);
      send(c, socksGreeting());
    }

    void send(Conn c, byte[] bytes) {
      try {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        c.ch.write(b);
        if (b.hasRemaining()) {
          fail(c); // a few bytes on a fresh socket always fit
        }
      } catch (IOException e) {
        fail(c);
      }
    }

    void fail(Conn c) {
      if (c.state == Conn.FAILED) {
        return;
      }
      if (c.state != Conn.HELD && c.state != Conn.DONE) {
        inFlight--;
      }
      if (c.state == Conn.HELD) {
        held--;
      }
      c.state = Conn.FAILED;
      failed++;
      try {
        c.ch.close();
      } catch (IOException ignored) {
        // closing
      }
    }

    void loop(long millis) throws IOException {
      sel.select(millis);
      Iterator<SelectionKey> it = sel.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey k = it.next();
        it.remove();
        Conn c = (Conn) k.attachment();
        if (!k.isValid()) {
          continue;
        }
        try {
          if (k.isConnectable()) {
            c.ch.finishConnect();
            connected(c);
            continue;
          }
          if (k.isReadable()) {
            read(c);
          }
        } catch (IOException e) {
          fail(c);
        }
      }
    }

    void read(Conn c) throws IOException {
      rbuf.clear();
      int r = c.ch.read(rbuf);
      if (r < 0) {
        fail(c);
        return;
      }
      byte[] a = rbuf.array();
      int i = 0;
      while (i < r) {
        switch (c.state) {
          case Conn.GREETING -> {
            while (i < r && c.got < c.need) {
              c.reply[c.got++] = a[i++];
            }
            if (c.got == c.need) {
              if (c.reply[0] != 5 || c.reply[1] != 0) {
                fail(c);
                return;
              }
              c.state = Conn.CONNECT;
              c.got = 0;
              c.need = 5;
              send(c, socksConnect(target));
            }
          }
          case Conn.CONNECT -> {
            while (i < r && c.got < c.need) {
              c.reply[c.got++] = a[i++];
            }
            if (c.got == 5 && c.need == 5) {
              if (c.reply[1] != 0) {
                fail(c);
                return;
              }
              c.need = switch (c.reply[3]) {
                case 1 -> 10;
                case 4 -> 22;
                case 3 -> 7 + (c.reply[4] & 0xff);
                default -> -1;
              };
              if (c.need < 0) {
                fail(c);
                return;
              }
            }
            if (c.need > 5 && c.got == c.need) {
              c.state = Conn.HELD;
              held++;
              inFlight--;
            }
          }
          case Conn.REQUEST -> {
            if (c.body < 0) {
              for (; i < r && c.match < 4; i++) {
                byte b = a[i];
                c.match = (b == (c.match % 2 == 0 ? '\r' : '\n')) ? c.match + 1 : (b == '\r' ? 1 : 0);
              }
              if (c.match < 4) {
                continue;
              }
              c.body = 0;
            }
            c.body += r - i;
            i = r;
            if (c.body >= size) {
              c.state = Conn.DONE;
              done++;
              inFlight--;
            }
          }
          default -> {
            // bytes while held or after done: not expected
            i = r;
          }
        }
      }
    }
  }
}
