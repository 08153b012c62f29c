package io.tt.server.fakesite;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --fallback HOST:PORT: the prober talks, through the TT-like front, to a real upstream. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamFallbackTest {

    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A tiny upstream web server that records every byte it receives and answers each request head
     * (ended by an empty line) with a fixed response; with {@code closeAfter} it closes after it.
     */
    static final class Upstream implements AutoCloseable {
        final NetServer server;
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Void> sawEnd = new CompletableFuture<>();

        Upstream(boolean closeAfter, byte[] response) throws Exception {
            server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0));
            server.connectHandler(so -> {
                ByteArrayOutputStream mine = new ByteArrayOutputStream();
                int[] answered = {0};
                so.handler(b -> {
                    synchronized (received) {
                        received.writeBytes(b.getBytes());
                    }
                    mine.writeBytes(b.getBytes());
                    int heads = count(mine.toString(StandardCharsets.ISO_8859_1), "\r\n\r\n");
                    while (answered[0] < heads) {
                        answered[0]++;
                        so.write(Buffer.buffer(response));
                        if (closeAfter) {
                            so.close();
                            break;
                        }
                    }
                });
                so.closeHandler(v -> sawEnd.complete(null));
            });
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        private static int count(String s, String needle) {
            int n = 0;
            for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }

        int port() {
            return server.actualPort();
        }

        byte[] received() {
            synchronized (received) {
                return received.toByteArray();
            }
        }

        @Override
        public void close() {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("closing the upstream", e);
            }
        }
    }

    static final byte[] HELLO = "HTTP/1.1 200 OK\r\nServer: upstream\r\nContent-Length: 5\r\n\r\nhello"
            .getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void bytesArriveIntactAndTheAnswerComesBack() throws Exception {
        try (Upstream u = new Upstream(false, HELLO)) {
            UpstreamFallback fb = new UpstreamFallback(vertx, "127.0.0.1", u.port());
            try (Front f = Front.start(vertx, fb);
                 RawClient c = new RawClient(f.port)) {
                String req = "GET /some/path?q=1 HTTP/1.1\r\nHost: www.example.com\r\n"
                        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) probe\r\nAccept: */*\r\n\r\n";
                byte[] bytes = req.getBytes(StandardCharsets.ISO_8859_1);
                // the first 51 bytes go to the front's read, the rest straight through
                c.send(java.util.Arrays.copyOfRange(bytes, 0, 30));
                Thread.sleep(50);
                c.send(java.util.Arrays.copyOfRange(bytes, 30, bytes.length));
                RawClient.Response r = c.read();
                assertEquals("HTTP/1.1 200 OK", r.statusLine);
                assertEquals("upstream", r.header("Server"));
                assertEquals("hello", new String(r.rawBody, StandardCharsets.ISO_8859_1));
                assertArrayEquals(bytes, u.received());
                // a second request on the same spliced connection
                c.send(req);
                assertEquals("hello", new String(c.read().rawBody, StandardCharsets.ISO_8859_1));
            } finally {
                fb.close();
            }
        }
    }

    @Test
    void aHalfCloseAfterTheRequestStillGetsTheAnswer() throws Exception {
        try (Upstream u = new Upstream(false, HELLO)) {
            UpstreamFallback fb = new UpstreamFallback(vertx, "127.0.0.1", u.port());
            try (Front f = Front.start(vertx, fb);
                 RawClient c = new RawClient(f.port)) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: nc-style prober, half-closes\r\n\r\n");
                c.socket.shutdownOutput();
                RawClient.Response r = c.read();
                assertEquals("hello", new String(r.rawBody, StandardCharsets.ISO_8859_1));
                // the FIN was passed upstream: it closed, and so did we
                u.sawEnd.get(5, TimeUnit.SECONDS);
                assertEquals(RawClient.Next.FIN, c.next());
            } finally {
                fb.close();
            }
        }
    }

    @Test
    void upstreamClosingClosesTheClient() throws Exception {
        try (Upstream u = new Upstream(true, HELLO)) {
            UpstreamFallback fb = new UpstreamFallback(vertx, "127.0.0.1", u.port());
            try (Front f = Front.start(vertx, fb);
                 RawClient c = new RawClient(f.port)) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: some prober that keeps going\r\n\r\n");
                assertEquals("hello", new String(c.read().rawBody, StandardCharsets.ISO_8859_1));
                assertEquals(RawClient.Next.FIN, c.next());
            } finally {
                fb.close();
            }
        }
    }

    @Test
    void largeTransfersKeepEveryByteWithBackPressure() throws Exception {
        byte[] big = new byte[8 << 20];
        new Random(1).nextBytes(big);
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] resp = new byte[head.length + big.length];
        System.arraycopy(head, 0, resp, 0, head.length);
        System.arraycopy(big, 0, resp, head.length, big.length);
        try (Upstream u = new Upstream(false, resp)) {
            UpstreamFallback fb = new UpstreamFallback(vertx, "127.0.0.1", u.port());
            try (Front f = Front.start(vertx, fb);
                 RawClient c = new RawClient(f.port)) {
                c.send("GET /big HTTP/1.1\r\nHost: a\r\nUser-Agent: a slow reader, reading slowly\r\n\r\n");
                RawClient.Response r = c.read(true);
                assertEquals("HTTP/1.1 200 OK", r.statusLine);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                InputStream in = c.socket.getInputStream();
                byte[] buf = new byte[16384];
                int total = 0;
                while (total < big.length) {
                    int n = in.read(buf, 0, Math.min(buf.length, big.length - total));
                    assertTrue(n > 0);
                    md.update(buf, 0, n);
                    total += n;
                    if (total < (1 << 20)) {
                        Thread.sleep(1); // slow at first so the pipe has to pause the upstream
                    }
                }
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(big), md.digest());
            } finally {
                fb.close();
            }
        }
    }

    @Test
    void unreachableUpstreamHoldsThenCloses() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort(); // nothing listens there once closed
        }
        UpstreamFallback fb = new UpstreamFallback(vertx, "127.0.0.1", dead,
                new UpstreamFallback.Options().unreachableHold(Duration.ofMillis(1500)));
        try (Front f = Front.start(vertx, fb);
             RawClient c = new RawClient(f.port)) {
            long t0 = System.nanoTime();
            c.send("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: prober wanting an answer\r\n\r\n");
            c.timeout(1000);
            assertEquals(RawClient.Next.NOTHING, c.next()); // no instant reset, no answer
            c.send("more bytes are read and dropped, not reset");
            c.timeout(5000);
            assertEquals(RawClient.Next.FIN, c.next());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1300 && ms < 4000, "closed after " + ms + " ms");
        } finally {
            fb.close();
        }
    }

    @Test
    void factoryParsesHostPort() {
        assertEquals("example.org", Fallbacks.parseHostPort("example.org:8080").host);
        assertEquals(8080, Fallbacks.parseHostPort("example.org:8080").port);
        assertEquals("::1", Fallbacks.parseHostPort("[::1]:80").host);
        for (String bad : new String[] {"example.org", ":80", "host:0", "host:65536", "host:x", "::1:80", "[::1]80", "a b:1"}) {
            try {
                Fallbacks.parseHostPort(bad);
                throw new AssertionError("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                // fine
            }
        }
        assertTrue(Fallbacks.create(vertx, null) instanceof BuiltInSite);
        assertTrue(Fallbacks.create(vertx, " ") instanceof BuiltInSite);
        Fallback up = Fallbacks.create(vertx, "127.0.0.1:9");
        assertTrue(up instanceof UpstreamFallback);
        ((UpstreamFallback) up).close();
    }
}
