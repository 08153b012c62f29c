package io.tt.server.fakesite;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile and mutated requests over real sockets: only nginx-shaped answers or silent closes. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SiteFuzzTest {

    static final Pattern STATUS = Pattern.compile(
            "HTTP/1\\.1 (200 OK|206 Partial Content|304 Not Modified|400 Bad Request|404 Not Found"
            + "|405 Not Allowed|412 Precondition Failed|413 Request Entity Too Large|414 Request-URI Too Large"
            + "|416 Requested Range Not Satisfiable|501 Not Implemented|505 HTTP Version Not Supported"
            + "|100 Continue)\r\nServer: nginx/1\\.24\\.0\r\n.*", Pattern.DOTALL);

    static Vertx vertx;
    static Front front;
    static Front offLoopFront;

    @BeforeAll
    static void up() throws Exception {
        vertx = Vertx.vertx();
        BuiltInSite site = new BuiltInSite(vertx, new BuiltInSite.Options().contentMtime(BuiltInSiteTest.MTIME)
                .headerTimeout(Duration.ofMillis(400)).keepaliveTimeout(Duration.ofMillis(400))
                .lingeringTimeout(Duration.ofMillis(300)).lingeringTime(Duration.ofSeconds(2)));
        front = Front.start(vertx, site, Front.FIRST_BYTES, 100);
        offLoopFront = Front.start(vertx, site, Front.FIRST_BYTES, 100, true);
    }

    @AfterAll
    static void down() throws Exception {
        front.close();
        offLoopFront.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static final String[] SEEDS = {
        "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: Mozilla/5.0\r\nAccept-Encoding: gzip\r\n\r\n",
        "HEAD /style.css HTTP/1.0\r\nRange: bytes=1-3,7-\r\nIf-Range: \"x\"\r\n\r\n",
        "POST /index.html HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        "GET /about.html HTTP/1.1\r\nHost: a\r\nIf-None-Match: W/\"1-2\", *\r\nConnection: close\r\n\r\n",
        "GET http://h:80/%2e%2e/x?y#z HTTP/1.1\r\nHost: [::1]:8\r\nContent-Length: 2\r\n\r\nab",
    };

    /** Sends one mutated request; returns what came back before the close (or the timeout). */
    static byte[] exchange(int port, byte[] req) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.timeout(3000);
            try {
                c.send(req);
            } catch (IOException e) {
                return new byte[0];
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = c.socket.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | SocketException e) {
                // a reset after a lingering close, or still open: what we have is what counts
            }
            return out.toByteArray();
        }
    }

    @Test
    void mutatedRequestsGetNginxAnswersOrNothing() throws Exception {
        Random rnd = new Random(11);
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] req = SEEDS[i % SEEDS.length].getBytes(StandardCharsets.ISO_8859_1);
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = rnd.nextInt(req.length);
                switch (rnd.nextInt(3)) {
                    case 0:
                        req[at] = (byte) rnd.nextInt(256);
                        break;
                    case 1:
                        req[at] = (byte) "\r\n :/%.?#\u0000\tHTTP".charAt(rnd.nextInt(14));
                        break;
                    default:
                        byte[] shorter = new byte[at];
                        System.arraycopy(req, 0, shorter, 0, at);
                        req = shorter.length > 0 ? shorter : req;
                        break;
                }
            }
            requests.add(req);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < requests.size(); i++) {
                byte[] req = requests.get(i);
                int port = i % 4 == 0 ? offLoopFront.port : front.port;
                answers.add(pool.submit(() -> exchange(port, req)));
            }
            int answered = 0;
            for (int i = 0; i < requests.size(); i++) {
                byte[] got = answers.get(i).get(30, TimeUnit.SECONDS);
                if (got.length == 0) {
                    continue; // a silent close: what nginx does for an incomplete head at the timeout
                }
                String text = new String(got, StandardCharsets.ISO_8859_1);
                if (text.startsWith("HTTP/")) {
                    assertTrue(STATUS.matcher(text).matches(), "unexpected answer to "
                            + new String(requests.get(i), StandardCharsets.ISO_8859_1) + ":\n"
                            + text.substring(0, Math.min(300, text.length())));
                    answered++;
                } else {
                    // HTTP/0.9: a bare page, one of ours or an nginx error page
                    assertTrue(text.startsWith("<html>") || text.startsWith("<!DOCTYPE html>")
                            || text.startsWith("User-agent"), text);
                }
            }
            assertTrue(answered > 100, "only " + answered + " answers");
        } finally {
            pool.shutdownNow();
        }
        // and the site is still fine
        try (RawClient c = new RawClient(front.port)) {
            assertArrayEquals(BuiltInSiteTest.resource("index.html"), c.send(BuiltInSiteTest.get("/")).read().rawBody);
        }
    }

    @Test
    void handOverFromAnotherThread() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (RawClient c = new RawClient(offLoopFront.port)) {
                c.send(BuiltInSiteTest.get("/") + BuiltInSiteTest.get("/robots.txt"));
                assertArrayEquals(BuiltInSiteTest.resource("index.html"), c.read().rawBody);
                assertArrayEquals(BuiltInSiteTest.resource("robots.txt"), c.read().rawBody);
            }
        }
    }
}
