package io.tt.common.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes the hand-made seeds of the structured fuzz targets (inputs read by {@link Input}) and the raw seeds
 * into src/test/resources/fuzz. Run from the module directory once after changing a target's input layout:
 * {@code java -cp target/test-classes:target/classes:<deps> io.tt.common.fuzz.SeedCorpus} (bench/fuzz/seeds.sh).
 * Deterministic: the same files every run.
 */
public final class SeedCorpus {

  static final Path ROOT = Path.of("src/test/resources/fuzz");
  static final byte[] SALT = new byte[32];
  static final long NOW = ServerHandshakeFuzzTest.NOW_SECONDS;

  static {
    for (int i = 0; i < 32; i++) {
      SALT[i] = (byte) i;
    }
  }

  public static void main(String[] args) throws IOException {
    frameDecoder();
    serverHandshake();
    clientHandshake();
    wireDecode();
    proxy();
    responses();
    muxLink();
  }

  // ------------------------------------------------------------------ MuxLinkFuzzTest.serverSide

  /** The head of a mux seed: method, when targets connect, whether they stall, both salts, the frame count. */
  static Seed mux(boolean aes, boolean connectLater, boolean full, int frames) {
    return mux(aes, connectLater, full, false, frames);
  }

  /** {@code connectsFail}: the targets, connected after every frame, refuse (only with {@code connectLater}). */
  static Seed mux(boolean aes, boolean connectLater, boolean full, boolean connectsFail, int frames) {
    Seed s = new Seed().bool(aes).bool(connectLater).bool(full);
    if (connectLater) {
      s.integer(0, 3, connectsFail ? 0 : 1);
    }
    return s.bytes(SALT).bytes(SALT).integer(0, 24, frames);
  }

  /** An OPEN of the next stream to the origin, with flags 0 or 1 and {@code data}. */
  static Seed open(Seed s, int flags, String data) {
    return s.integer(0, 11, 0).integer(0, 3, 0).integer(0, 5, flags == 1 ? 3 : 0).integer(0, 4, 0).bool(false)
        .integer(0, 300, data.length()).bytes(ascii(data));
  }

  /** DATA of {@code len} bytes for the latest stream ({@code big}: up to 65,000). */
  static Seed data(Seed s, int len, boolean big) {
    s.integer(0, 11, 2).integer(0, 3, 1);
    return big ? s.integer(0, 10, 0).integer(0, 65_000, len) : s.integer(0, 10, 1).integer(0, 2_000, len);
  }

  static void muxLink() throws IOException {
    String dir = "MuxLinkFuzzTestInputs/serverSide/";
    write(dir + "open-data-close", data(open(mux(true, false, false, 3), 1, "GET"), 40, false)
        .integer(0, 11, 5).integer(0, 3, 1).integer(0, 7, 1).integer(0, 8, 0));
    write(dir + "two-streams-connect-later-in-pieces", data(open(data(open(mux(false, true, false, 4), 0, "a"), 100,
        false), 1, "b"), 7, false).integer(0, 8, 3).integer(0, 1, 1).integer(0, 64, 30).integer(0, 1, 1)
        .integer(0, 64, 1).integer(0, 1, 1).integer(0, 64, 50));
    Seed beyond = open(mux(true, false, true, 6), 0, "");
    for (int i = 0; i < 5; i++) {
      data(beyond, 60_000, true);
    }
    write(dir + "stalled-target-window-exceeded", beyond.integer(0, 8, 0));
    write(dir + "data-for-a-stream-never-opened", new Seed().bytes(mux(true, false, false, 1).toByteArray())
        .integer(0, 11, 2).integer(0, 3, 0).integer(0, 10, 1).integer(0, 2_000, 3).integer(0, 8, 0));
    write(dir + "refused-after-the-client-closed", data(open(open(mux(true, true, false, true, 4), 0, "GET"), 1,
        "x"), 10, false).integer(0, 11, 5).integer(0, 3, 2).integer(0, 7, 1).integer(0, 8, 0));
    write(dir + "reply-from-the-client", open(mux(true, false, false, 2), 0, "")
        .integer(0, 11, 7).integer(0, 3, 1).integer(0, 8, 0));
    write(dir + "unknown-type", open(mux(true, false, false, 2), 0, "")
        .integer(0, 11, 9).integer(0, 3, 1).integer(6, 255, 9).integer(0, 20, 2).bytes(new byte[] {1, 2})
        .integer(0, 8, 0));
    write(dir + "tampered-second-frame", open(mux(false, false, false, 2), 1, "x")
        .integer(0, 11, 10).integer(0, 3, 1).bool(true).integer(0, 8, 0));
    write(dir + "window-of-zero", open(mux(true, false, false, 2), 0, "")
        .integer(0, 11, 6).integer(0, 3, 1).integer(0, 7, 1).integer(0, 3, 0)
        .integer(Integer.MIN_VALUE, Integer.MAX_VALUE, 0).integer(0, 8, 0));
    write(dir + "window-then-more-data", data(open(mux(false, false, false, 3), 1, "GET"), 2_000, false)
        .integer(0, 11, 6).integer(0, 3, 1).integer(0, 7, 1).integer(0, 3, 1).integer(1, 1 << 20, 65_536)
        .integer(0, 8, 0));
  }

  // ------------------------------------------------------------------ FrameDecoderFuzzTest.decode

  /** One frame spec: payload bytes and padding. */
  record F(byte[] payload, int pad) {
    int sealed() {
      return 19 + payload.length + pad + 16;
    }
  }

  static Seed frames(boolean aes, boolean direct, F... frames) {
    Seed s = new Seed().bool(aes).bytes(SALT).bool(direct).integer(0, 4, frames.length);
    for (F f : frames) {
      boolean big = f.payload.length > 300;
      s.integer(0, 15, big ? 0 : 1).integer(0, big ? 65535 : 300, f.payload.length).bytes(f.payload)
          .integer(0, 255, f.pad);
    }
    return s;
  }

  static int length(F... frames) {
    int n = 0;
    for (F f : frames) {
      n += f.sealed();
    }
    return n;
  }

  /** Splits into pieces of the given sizes (the rest goes last); {@code total} is the stream length. */
  static Seed split(Seed s, int maxPieces, int total, int... sizes) {
    s.integer(0, maxPieces, sizes.length);
    int at = 0;
    for (int size : sizes) {
      s.bool(false).integer(0, total - at, size);
      at += size;
    }
    return s;
  }

  static void frameDecoder() throws IOException {
    String dir = "FrameDecoderFuzzTestInputs/decode/";
    F hello = new F(ascii("hello"), 3);
    F empty = new F(new byte[0], 0);
    F big = new F(filled(65535, 7), 255);
    write(dir + "one-frame-aes", split(frames(true, false, hello).integer(0, 3, 0), 40, length(hello)));
    write(dir + "one-frame-chacha-direct", split(frames(false, true, hello).integer(0, 3, 0), 40, length(hello)));
    write(dir + "two-frames-three-pieces",
        split(frames(true, false, hello, empty).integer(0, 3, 0), 40, length(hello, empty), 10, 30));
    write(dir + "byte-at-a-time-header", split(frames(true, false, hello).integer(0, 3, 0), 40, length(hello),
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
    int n = length(hello, hello);
    write(dir + "flip-second-header", split(frames(true, false, hello, hello).integer(0, 3, 1).integer(0, 3, 0)
        .integer(0, n - 1, hello.sealed() + 3).integer(1, 255, 0x40), 40, n));
    write(dir + "flip-first-body", split(frames(false, false, hello, hello).integer(0, 3, 1).integer(0, 3, 0)
        .integer(0, n - 1, 20).integer(1, 255, 1), 40, n));
    write(dir + "truncated-body", frames(true, false, hello).integer(0, 3, 1).integer(0, 3, 1)
        .integer(0, hello.sealed(), 25).integer(0, 40, 0).toByteArray());
    write(dir + "max-frame-in-pieces", split(frames(true, false, big).integer(0, 3, 0), 40, big.sealed(),
        19, 1000, 30000, 30000));
    write(dir + "garbage-after-frame", frames(true, false, hello).integer(0, 3, 1).integer(0, 3, 3)
        .integer(1, 256, 19).bytes(filled(19, 0x41)).integer(0, 40, 0).toByteArray());
    write(dir + "raw-garbage", frames(true, false).integer(0, 3, 1).integer(0, 3, 3).integer(1, 256, 256)
        .bytes(random(256, 1)).integer(0, 40, 2).bool(true).integer(0, 64, 50).bool(false)
        .integer(0, 206, 100).toByteArray());
    write(dir + "inserted-byte", split(frames(true, false, hello, hello).integer(0, 3, 1).integer(0, 3, 2)
        .integer(0, n, 60).integer(1, 64, 1).bytes(new byte[] {0}), 40, n + 1));
  }

  // ------------------------------------------------------------------ ServerHandshakeFuzzTest

  /** A client hello for validPrefix; returns the seed up to (not including) the mutations. */
  static Seed hello(boolean aes, boolean rightKey, boolean rightPort, int cmdMode, Integer rawCmd, int tsMode,
                    long tsValue, int targetMode, byte[] target, int dataLen, int pad) {
    Seed s = new Seed().bool(aes).integer(0, 7, rightKey ? 1 : 0).integer(0, 7, rightPort ? 1 : 0).bytes(SALT)
        .integer(0, 3, cmdMode);
    if (cmdMode == 3) {
      s.integer(0, 255, rawCmd);
    }
    s.integer(0, 3, tsMode);
    switch (tsMode) {
      case 0, 1 -> s.integer(-200, 200, (int) (tsValue - NOW));
      case 2 -> s.longValue(tsValue);
      default -> s.integer(-1_000_000, 1_000_000, (int) (tsValue - NOW));
    }
    s.integer(0, 4, targetMode);
    switch (targetMode) {
      case 0 -> s.bytes(target); // 6 bytes: IPv4 + port
      case 1 -> s.integer(1, 255, target.length - 2).bytes(target); // name + port
      case 2 -> s.bytes(target); // 18 bytes
      case 3 -> s.integer(0, 300, target.length).bytes(target);
      default -> { }
    }
    boolean big = dataLen > 300;
    s.integer(0, 15, big ? 0 : 1).integer(0, big ? 65_000 : 300, dataLen).bytes(filled(dataLen, 'd'))
        .integer(0, 255, pad);
    return s;
  }

  static int helloLength(int targetLen, int dataLen, int pad) {
    return 32 + 19 + Math.min(65535, 9 + targetLen + dataLen) + pad + 16;
  }

  static void serverHandshake() throws IOException {
    String dir = "ServerHandshakeFuzzTestInputs/validPrefix/";
    byte[] v4 = {127, 0, 0, 1, 0, 80};
    byte[] name = concat(ascii("example.com"), new byte[] {1, (byte) 0xbb});
    int len = helloLength(7, 3, 5);
    write(dir + "accepted-ipv4", split(hello(true, true, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 0), 20, len));
    int lenName = helloLength(2 + 13, 3, 7);
    write(dir + "accepted-name-chacha", split(hello(false, true, true, 0, null, 0, NOW - 30, 1, name, 3, 7)
        .integer(0, 2, 0).integer(0, 3, 0), 20, lenName));
    write(dir + "accepted-then-frames", hello(true, true, true, 0, null, 0, NOW, 0, v4, 0, 0).integer(0, 2, 2)
        .integer(0, 100, 4).bytes(ascii("more")).integer(0, 255, 9).integer(0, 100, 0).integer(0, 255, 0)
        .integer(0, 3, 0).integer(0, 20, 0).toByteArray());
    write(dir + "tun-stream", split(hello(true, true, true, 2, null, 0, NOW, 4, null, 20, 1).integer(0, 2, 0)
        .integer(0, 3, 0), 20, helloLength(0, 20, 1)));
    write(dir + "unknown-command", split(hello(true, true, true, 3, 7, 0, NOW, 0, v4, 0, 0).integer(0, 2, 0)
        .integer(0, 3, 0), 20, helloLength(7, 0, 0)));
    write(dir + "mux", split(hello(true, true, true, 3, 3, 0, NOW, 4, null, 0, 1).integer(0, 2, 0)
        .integer(0, 3, 0), 20, helloLength(0, 0, 1)));
    write(dir + "empty-domain", split(hello(true, true, true, 0, null, 0, NOW, 3, new byte[] {3, 0, 0, 80}, 0, 0)
        .integer(0, 2, 0).integer(0, 3, 0), 20, helloLength(4, 0, 0)));
    write(dir + "truncated-target", split(hello(true, true, true, 0, null, 0, NOW, 3, new byte[] {1, 10, 0}, 0, 0)
        .integer(0, 2, 0).integer(0, 3, 0), 20, helloLength(3, 0, 0)));
    write(dir + "expired-200s", split(hello(true, true, true, 0, null, 0, NOW + 200, 0, v4, 0, 0)
        .integer(0, 2, 0).integer(0, 3, 0), 20, len - 8));
    // Timestamps whose x1000 overflows a long onto the server's clock: found by review, must be EXPIRED.
    write(dir + "timestamp-overflow-wraps-to-now", split(hello(true, true, true, 0, null, 2,
        NOW + (1L << 61), 0, v4, 0, 0).integer(0, 2, 0).integer(0, 3, 0), 20, len - 8));
    write(dir + "timestamp-overflow-abs-min", split(hello(true, true, true, 0, null, 2,
        1152921506370846976L, 0, v4, 0, 0).integer(0, 2, 0).integer(0, 3, 0), 20, len - 8));
    write(dir + "timestamp-long-min", split(hello(true, true, true, 0, null, 2, Long.MIN_VALUE, 0, v4, 0, 0)
        .integer(0, 2, 0).integer(0, 3, 0), 20, len - 8));
    write(dir + "wrong-key", split(hello(true, false, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 0), 20, len));
    write(dir + "wrong-port", split(hello(true, true, false, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 0), 20, len));
    write(dir + "flipped-header", split(hello(true, true, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 1).integer(0, 3, 0).integer(0, len - 1, 40).integer(1, 255, 1), 20, len));
    write(dir + "flipped-salt", split(hello(true, true, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 1).integer(0, 3, 0).integer(0, len - 1, 3).integer(1, 255, 1), 20, len));
    write(dir + "flipped-body", split(hello(true, true, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 1).integer(0, 3, 0).integer(0, len - 1, 60).integer(1, 255, 0x80), 20, len));
    write(dir + "truncated-body", hello(true, true, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 1).integer(0, 3, 1).integer(0, len, 60).integer(0, 20, 0).toByteArray());
    write(dir + "short-first-segment", split(hello(true, true, true, 0, null, 0, NOW, 0, v4, 3, 5).integer(0, 2, 0)
        .integer(0, 3, 0), 20, len, 40));
    int max = helloLength(7, 65_000, 255);
    write(dir + "largest-first-frame-in-pieces", split(hello(true, true, true, 0, null, 0, NOW, 0, v4, 65_000, 255)
        .integer(0, 2, 0).integer(0, 3, 0), 20, max, 51, 1000, 30_000, 30_000));

    String raw = "ServerHandshakeFuzzTestInputs/anyFirstBytes/";
    for (byte[] h : ServerHandshakeFuzzTest.VECTOR_HELLOS) {
      String m = h == ServerHandshakeFuzzTest.VECTOR_HELLOS.get(0) ? "aes" : "chacha";
      write(raw + "vector-client-hello-" + m, h);
      write(raw + "vector-client-hello-" + m + "-cut-40", java.util.Arrays.copyOf(h, 40));
      write(raw + "vector-client-hello-" + m + "-cut-51", java.util.Arrays.copyOf(h, 51));
      write(raw + "vector-client-hello-" + m + "-cut-60", java.util.Arrays.copyOf(h, 60));
      byte[] flipped = h.clone();
      flipped[45] ^= 1;
      write(raw + "vector-client-hello-" + m + "-header-flipped", flipped);
      byte[] body = h.clone();
      body[h.length - 1] ^= 1;
      write(raw + "vector-client-hello-" + m + "-tag-flipped", body);
    }
    write(raw + "http-get", ascii("GET / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n"));
    write(raw + "tls-client-hello", TLS_HELLO);
    write(raw + "ssh-banner", ascii("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"));
    for (int n : new int[] {1, 50, 51, 52, 1000, 100_000}) {
      write(raw + "random-" + n, random(n, n));
    }
  }

  static final byte[] TLS_HELLO = HexFormat.of().parseHex("16030100f4010000f00303" + "00".repeat(32) + "20"
      + "11".repeat(32) + "0008130213031301c02f0100" + "00" + "9f" + "00".repeat(0x9f));

  // ------------------------------------------------------------------ ClientHandshakeFuzzTest.serverReply

  static Seed reply(boolean aes, boolean rightKey, boolean rightPort, int echo, int status, int dataLen, int pad) {
    Seed s = new Seed().bool(aes).bytes(SALT).bytes(filled(32, 0x20)).integer(0, 7, rightKey ? 1 : 0)
        .integer(0, 7, rightPort ? 1 : 0).integer(0, 3, echo).integer(0, 255, status);
    boolean big = dataLen > 300;
    s.integer(0, 15, big ? 0 : 1).integer(0, big ? 65_000 : 300, dataLen).bytes(filled(dataLen, 'r'))
        .integer(0, 255, pad);
    if (echo == 0) {
      s.bytes(filled(32, 0x55));
    } else if (echo == 1) {
      s.integer(0, 32, 5).bytes(filled(5, 1));
    }
    return s;
  }

  static void clientHandshake() throws IOException {
    String dir = "ClientHandshakeFuzzTestInputs/serverReply/";
    int len = 32 + 19 + 33 + 2 + 5 + 16;
    write(dir + "ok-aes", split(reply(true, true, true, 2, 0, 2, 5).integer(0, 2, 0).integer(0, 3, 0), 20, len));
    write(dir + "ok-chacha-split", split(reply(false, true, true, 2, 0, 2, 5).integer(0, 2, 0).integer(0, 3, 0),
        20, len, 1, 31, 19));
    write(dir + "refused-status-5", split(reply(true, true, true, 2, 5, 0, 0).integer(0, 2, 0).integer(0, 3, 0),
        20, len - 7));
    write(dir + "unknown-status", split(reply(true, true, true, 2, 0x7f, 0, 0).integer(0, 2, 0).integer(0, 3, 0),
        20, len - 7));
    write(dir + "echo-of-another-salt", split(reply(true, true, true, 0, 0, 2, 5).integer(0, 2, 0)
        .integer(0, 3, 0), 20, len));
    write(dir + "too-short-for-echo", split(reply(true, true, true, 1, 0, 0, 0).integer(0, 2, 0)
        .integer(0, 3, 0), 20, 32 + 19 + 5 + 16));
    write(dir + "wrong-key", split(reply(true, false, true, 2, 0, 2, 5).integer(0, 2, 0).integer(0, 3, 0), 20, len));
    write(dir + "wrong-port", split(reply(true, true, false, 2, 0, 2, 5).integer(0, 2, 0).integer(0, 3, 0), 20, len));
    write(dir + "flipped-body", split(reply(true, true, true, 2, 0, 2, 5).integer(0, 2, 0).integer(0, 3, 1)
        .integer(0, 3, 0).integer(0, len - 1, 70).integer(1, 255, 4), 20, len));
    write(dir + "then-frames", reply(true, true, true, 2, 0, 2, 5).integer(0, 2, 1).integer(0, 100, 3)
        .bytes(ascii("abc")).integer(0, 255, 0).integer(0, 3, 0).integer(0, 20, 0).toByteArray());
    write(dir + "big-data", reply(true, true, true, 2, 0, 65_000, 255).integer(0, 2, 0).integer(0, 3, 0)
        .integer(0, 20, 0).toByteArray());
  }

  // ------------------------------------------------------------------ raw targets

  static void wireDecode() throws IOException {
    String dir = "WireDecodeFuzzTestInputs/targetAndRequest/";
    write(dir + "ipv4", HexFormat.of().parseHex("017f0000010050"));
    write(dir + "ipv6", HexFormat.of().parseHex("04" + "00".repeat(15) + "01" + "01bb"));
    write(dir + "name", concat(new byte[] {3, 11}, ascii("example.com"), new byte[] {1, (byte) 0xbb}));
    write(dir + "name-that-is-an-ip", concat(new byte[] {3, 7}, ascii("1.2.3.4"), new byte[] {0, 80}));
    write(dir + "empty-name", HexFormat.of().parseHex("03000050"));
    write(dir + "atyp-2", HexFormat.of().parseHex("02000000000050"));
    write(dir + "truncated-ipv6", HexFormat.of().parseHex("04000000"));
    byte[] ts = ServerHandshakeFuzzTest.longBytes(NOW);
    write(dir + "request-connect-vector", concat(new byte[] {1}, ts, new byte[] {3, 11}, ascii("example.com"),
        new byte[] {1, (byte) 0xbb}, ascii("GET")));
    write(dir + "request-tun", concat(new byte[] {2}, ts, ascii("packet")));
    write(dir + "request-unknown-command", concat(new byte[] {9}, ts));
    write(dir + "request-short", new byte[] {1, 0, 0});
  }

  static void proxy() throws IOException {
    Path corpus = Path.of("src/test/resources/proxy/corpus");
    String dir = "ProxyHandshakeFuzzTestInputs/firstBytes/";
    String req = "HttpFramersFuzzTestInputs/requests/";
    try (Stream<Path> files = Files.walk(corpus)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String kind = corpus.relativize(f).getName(0).toString();
        byte[] b = Files.readAllBytes(f);
        write(dir + kind + "-" + f.getFileName(), b);
        if (kind.equals("http")) {
          write(req + f.getFileName(), b);
        }
      }
    }
    write(dir + "socks5-bad-version-4", HexFormat.of().parseHex("040100500a000001"));
    write(dir + "socks5-greeting-methods-255", concat(new byte[] {5, (byte) 255}, filled(255, 0)));
    write(dir + "http-huge-header", concat(ascii("GET http://a/ HTTP/1.1\r\nX: "), filled(70_000, 'a'),
        ascii("\r\n\r\n")));
  }

  static void responses() throws IOException {
    String dir = "HttpFramersFuzzTestInputs/responses/";
    write(dir + "get-content-length", concat(new byte[] {0}, ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")));
    write(dir + "get-chunked", concat(new byte[] {0},
        ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n")));
    write(dir + "head-with-length", concat(new byte[] {8}, ascii("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")));
    write(dir + "continue-then-ok", concat(new byte[] {0},
        ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")));
    write(dir + "http10-until-close", concat(new byte[] {0}, ascii("HTTP/1.0 200 OK\r\n\r\nbody until close")));
    write(dir + "switching-protocols", concat(new byte[] {0}, ascii("HTTP/1.1 101 Switching Protocols\r\n\r\n")));
    write(dir + "cl-and-te", concat(new byte[] {0},
        ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")));
    write(dir + "pipelined-two", concat(new byte[] {1},
        ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 304 Not Modified\r\n\r\n")));
    write(dir + "close-then-extra", concat(new byte[] {1},
        ascii("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\n\r\n")));
    write(dir + "response-without-request", concat(new byte[] {0},
        ascii("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")));
    write(dir + "bad-status-line", concat(new byte[] {0}, ascii("HTTP/1.1 2x0 OK\r\n\r\n")));
    write(dir + "huge-head", concat(new byte[] {0}, ascii("HTTP/1.1 200 OK\r\nX: "), filled(70_000, 'h'),
        ascii("\r\n\r\n")));
  }

  // ------------------------------------------------------------------ helpers

  static void write(String name, Seed s) throws IOException {
    write(name, s.toByteArray());
  }

  static void write(String name, byte[] b) throws IOException {
    Path p = ROOT.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, b);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) v);
    return b;
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] concat(byte[]... parts) {
    return Fuzz.concat(parts);
  }
}
