package io.tt.server.fakesite;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in site behind a TT-like front, driven over real loopback sockets. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BuiltInSiteTest {

    static final long MTIME = 1_700_000_000L; // Tue, 14 Nov 2023 22:13:20 GMT, 0x6553f100
    static final Pattern DATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");

    /** nginx 1.24.0's 404 page, written out from ngx_http_special_response.c (not from our code). */
    static final String PAGE_404 = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
            + "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
            + "</body>\r\n</html>\r\n";
    static final String PAGE_400 = "<html>\r\n<head><title>400 Bad Request</title></head>\r\n<body>\r\n"
            + "<center><h1>400 Bad Request</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
            + "</body>\r\n</html>\r\n";
    static final String PAGE_405 = "<html>\r\n<head><title>405 Not Allowed</title></head>\r\n<body>\r\n"
            + "<center><h1>405 Not Allowed</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
            + "</body>\r\n</html>\r\n";
    static final String PAGE_494 = "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n"
            + "<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n"
            + "<center>Request Header Or Cookie Too Large</center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
            + "</body>\r\n</html>\r\n";
    static final String PAGE_414 = "<html>\r\n<head><title>414 Request-URI Too Large</title></head>\r\n<body>\r\n"
            + "<center><h1>414 Request-URI Too Large</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
            + "</body>\r\n</html>\r\n";

    static Vertx vertx;
    static BuiltInSite site;
    static Front front;
    static byte[] index;

    @BeforeAll
    static void up() throws Exception {
        vertx = Vertx.vertx();
        site = new BuiltInSite(vertx, new BuiltInSite.Options().contentMtime(MTIME)
                .headerTimeout(Duration.ofSeconds(20)).lingeringTimeout(Duration.ofMillis(1500)));
        front = Front.start(vertx, site, Front.FIRST_BYTES, 300);
        index = resource("index.html");
    }

    @AfterAll
    static void down() throws Exception {
        front.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BuiltInSiteTest.class.getClassLoader().getResourceAsStream("fakesite/" + name)) {
            return in.readAllBytes();
        }
    }

    static String get(String path, String... extra) {
        StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: www.example.com\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n");
        for (String h : extra) {
            sb.append(h).append("\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static String etagOf(long mtime, int len) {
        return "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(len) + "\"";
    }

    @Test
    void getIndexLooksLikeNginx() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/")).read();
            assertEquals("HTTP/1.1 200 OK", r.statusLine);
            assertEquals(List.of("Server", "Date", "Content-Type", "Content-Length", "Last-Modified",
                    "Connection", "ETag", "Accept-Ranges"), r.headerNames());
            assertEquals("nginx/1.24.0", r.header("Server"));
            assertTrue(DATE.matcher(r.header("Date")).matches(), r.header("Date"));
            assertEquals("text/html", r.header("Content-Type"));
            assertEquals(String.valueOf(index.length), r.header("Content-Length"));
            assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", r.header("Last-Modified"));
            assertEquals("keep-alive", r.header("Connection"));
            assertEquals(etagOf(MTIME, index.length), r.header("ETag"));
            assertEquals("\"6553f100-" + Integer.toHexString(index.length) + "\"", r.header("ETag"));
            assertEquals("bytes", r.header("Accept-Ranges"));
            assertArrayEquals(index, r.rawBody);
            // the same file by its name
            RawClient.Response r2 = c.send(get("/index.html")).read();
            assertArrayEquals(index, r2.rawBody);
        }
    }

    @Test
    void keepAliveAndPipelining() throws Exception {
        byte[] css = resource("style.css");
        byte[] ico = resource("favicon.ico");
        try (RawClient c = new RawClient(front.port)) {
            assertArrayEquals(index, c.send(get("/")).read().rawBody);
            RawClient.Response css1 = c.send(get("/style.css")).read();
            assertEquals("text/css", css1.header("Content-Type"));
            assertArrayEquals(css, css1.rawBody);
            // three pipelined requests in one write, answered in order on the same connection
            c.send(get("/favicon.ico") + get("/robots.txt") + get("/nope"));
            RawClient.Response a = c.read();
            assertEquals("image/x-icon", a.header("Content-Type"));
            assertArrayEquals(ico, a.rawBody);
            RawClient.Response b = c.read();
            assertEquals("text/plain", b.header("Content-Type"));
            assertArrayEquals(resource("robots.txt"), b.rawBody);
            RawClient.Response d = c.read();
            assertEquals("HTTP/1.1 404 Not Found", d.statusLine);
            assertEquals("keep-alive", d.header("Connection"));
        }
    }

    @Test
    void headHasTheHeadersAndNoBody() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/about.html").replace("GET", "HEAD")).read(true);
            assertEquals("HTTP/1.1 200 OK", r.statusLine);
            assertEquals(String.valueOf(resource("about.html").length), r.header("Content-Length"));
            assertEquals("keep-alive", r.header("Connection"));
            // nothing else was sent: the next response starts right after the head
            RawClient.Response n = c.send(get("/robots.txt")).read();
            assertEquals("HTTP/1.1 200 OK", n.statusLine);
            assertArrayEquals(resource("robots.txt"), n.rawBody);
        }
    }

    @Test
    void notFoundIsNginxsPage() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/wp-login.php")).read();
            assertEquals("HTTP/1.1 404 Not Found", r.statusLine);
            assertEquals(List.of("Server", "Date", "Content-Type", "Content-Length", "Connection"), r.headerNames());
            assertEquals("text/html", r.header("Content-Type"));
            assertEquals(PAGE_404, new String(r.rawBody, StandardCharsets.ISO_8859_1));
            assertEquals("153", r.header("Content-Length"));
            assertEquals("keep-alive", r.header("Connection"));
            // HEAD of a missing file: the head only
            RawClient.Response h = c.send(get("/missing").replace("GET", "HEAD")).read(true);
            assertEquals("HTTP/1.1 404 Not Found", h.statusLine);
            assertArrayEquals(index, c.send(get("/")).read().rawBody);
        }
    }

    @Test
    void chromeGetsMsiePaddingOn404() throws Exception {
        String req = "GET /x HTTP/1.1\r\nHost: a\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
                + "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n\r\n";
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(req).read();
            String body = new String(r.rawBody, StandardCharsets.ISO_8859_1);
            assertTrue(body.startsWith(PAGE_404));
            assertTrue(body.endsWith("<!-- a padding to disable MSIE and Chrome friendly error page -->\r\n"));
            assertEquals(153 + 6 * 67, r.rawBody.length);
        }
    }

    @Test
    void methodsAsNginxStaticWithTryFiles() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            String post = "POST /index.html HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 11\r\n\r\nhello world";
            RawClient.Response r = c.send(post).read();
            assertEquals("HTTP/1.1 405 Not Allowed", r.statusLine);
            assertEquals(PAGE_405, new String(r.rawBody, StandardCharsets.ISO_8859_1));
            assertEquals("keep-alive", r.header("Connection"));
            // POST to a missing file is a 404 (try_files answers before the static handler)
            String post404 = "POST /api/login HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nabcd";
            assertEquals("HTTP/1.1 404 Not Found", c.send(post404).read().statusLine);
            // PUT / and an unknown method on a file: 405; DELETE of a missing file: 404
            assertEquals("HTTP/1.1 405 Not Allowed", c.send("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").read().statusLine);
            assertEquals("HTTP/1.1 405 Not Allowed", c.send("FOO /style.css HTTP/1.1\r\nHost: a\r\n\r\n").read().statusLine);
            assertEquals("HTTP/1.1 404 Not Found", c.send("DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n").read().statusLine);
            // still the same keep-alive connection
            assertArrayEquals(index, c.send(get("/")).read().rawBody);
        }
    }

    @Test
    void traceAndConnectAre405AndClose() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send("TRACE / HTTP/1.1\r\nHost: a\r\nUser-Agent: probe/1.0 probe\r\n\r\n").read();
            assertEquals("HTTP/1.1 405 Not Allowed", r.statusLine);
            assertEquals("close", r.header("Connection"));
            assertEquals(RawClient.Next.FIN, c.next());
        }
    }

    @Test
    void conditionalRequests() throws Exception {
        String etag = etagOf(MTIME, index.length);
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/", "If-None-Match: " + etag)).read(true);
            assertEquals("HTTP/1.1 304 Not Modified", r.statusLine);
            assertEquals(List.of("Server", "Date", "Last-Modified", "Connection", "ETag"), r.headerNames());
            assertEquals(etag, r.header("ETag"));
            RawClient.Response ims = c.send(get("/", "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT")).read(true);
            assertEquals("HTTP/1.1 304 Not Modified", ims.statusLine);
            // if_modified_since exact: any other date is "modified"
            RawClient.Response later = c.send(get("/", "If-Modified-Since: Tue, 14 Nov 2023 22:13:21 GMT")).read();
            assertEquals("HTTP/1.1 200 OK", later.statusLine);
            assertArrayEquals(index, later.rawBody);
            RawClient.Response weak = c.send(get("/", "If-None-Match: \"x\", W/" + etag)).read(true);
            assertEquals("HTTP/1.1 304 Not Modified", weak.statusLine);
            RawClient.Response other = c.send(get("/", "If-None-Match: \"abc-1\"")).read();
            assertEquals("HTTP/1.1 200 OK", other.statusLine);
            // If-Match failing: 412, then nginx drops the connection
            RawClient.Response pf = c.send(get("/", "If-Match: \"nope\"")).read();
            assertEquals("HTTP/1.1 412 Precondition Failed", pf.statusLine);
            assertEquals(RawClient.Next.FIN, c.next());
        }
    }

    @Test
    void randomBytesGet400AndAClose() throws Exception {
        Random rnd = new Random(42);
        for (int i = 0; i < 5; i++) {
            byte[] junk = new byte[Front.FIRST_BYTES];
            rnd.nextBytes(junk);
            junk[0] = (byte) (0x80 | junk[0]); // not a method character
            try (RawClient c = new RawClient(front.port)) {
                c.send(junk).send("\r\n");
                RawClient.Response r = c.read();
                assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
                assertEquals(List.of("Server", "Date", "Content-Type", "Content-Length", "Connection"), r.headerNames());
                assertEquals("close", r.header("Connection"));
                assertEquals("157", r.header("Content-Length"));
                assertEquals(PAGE_400, new String(r.rawBody, StandardCharsets.ISO_8859_1));
                assertEquals(RawClient.Next.FIN, c.next());
            }
        }
    }

    @Test
    void garbageIsAnsweredWithoutWaitingForALineEnd() throws Exception {
        // nginx refuses at the first byte that cannot start a method: no newline needed
        byte[] junk = new byte[Front.FIRST_BYTES];
        new Random(7).nextBytes(junk);
        junk[0] = 0x01;
        try (RawClient c = new RawClient(front.port)) {
            long t0 = System.nanoTime();
            c.send(junk);
            RawClient.Response r = c.read();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
            assertTrue(ms < 3000, "took " + ms + " ms");
            assertEquals(RawClient.Next.FIN, c.next());
        }
    }

    @Test
    void tlsClientHelloOnThePlainPort() throws Exception {
        // the start of a TLS 1.2/1.3 ClientHello record
        byte[] hello = new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03,
            0x5a, 0x1b, 0x7c, 0x3d, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, (byte) 0x88, (byte) 0x99, 0x00,
            0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, (byte) 0x80, (byte) 0x90, (byte) 0xa0, (byte) 0xb0,
            (byte) 0xc0, (byte) 0xd0, (byte) 0xe0, (byte) 0xf0, 0x01, 0x02, 0x03, 0x20, 0x13, 0x01, 0x13,
            0x02, 0x13, 0x03, (byte) 0xc0, 0x2b, (byte) 0xc0, 0x2f, 0x00, 0x0a, 0x01, 0x00};
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(hello).read();
            assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
            assertEquals("close", r.header("Connection"));
            assertEquals(PAGE_400, new String(r.rawBody, StandardCharsets.ISO_8859_1));
            assertEquals(RawClient.Next.FIN, c.next());
        }
    }

    @Test
    void oversizeHeaderIs494AsNginx() throws Exception {
        String big = "X-Fill: " + "a".repeat(9000);
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/", big)).read();
            assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
            assertEquals("close", r.header("Connection"));
            assertEquals(PAGE_494, new String(r.rawBody, StandardCharsets.ISO_8859_1));
            assertEquals(RawClient.Next.FIN, c.next());
        }
        // many headers, each fine, together beyond 4 x 8k
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 40; i++) {
            many.append("X-H").append(i).append(": ").append("b".repeat(1000)).append("\r\n");
        }
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(many.append("\r\n").toString()).read();
            assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
            assertEquals(PAGE_494, new String(r.rawBody, StandardCharsets.ISO_8859_1));
        }
        // just under the limits: fine
        StringBuilder ok = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 20; i++) {
            ok.append("X-H").append(i).append(": ").append("c".repeat(1000)).append("\r\n");
        }
        try (RawClient c = new RawClient(front.port)) {
            assertEquals("HTTP/1.1 200 OK", c.send(ok.append("\r\n").toString()).read().statusLine);
        }
    }

    @Test
    void oversizeRequestLineIs414() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/" + "a".repeat(9000))).read();
            assertEquals("HTTP/1.1 414 Request-URI Too Large", r.statusLine);
            assertEquals("close", r.header("Connection"));
            assertEquals(PAGE_414, new String(r.rawBody, StandardCharsets.ISO_8859_1));
        }
        // 8000 bytes of URI fit nginx's 8k large buffer: a plain 404
        try (RawClient c = new RawClient(front.port)) {
            assertEquals("HTTP/1.1 404 Not Found", c.send(get("/" + "a".repeat(8000))).read().statusLine);
        }
    }

    @Test
    void http11WithoutHostAnd505() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send("GET / HTTP/1.1\r\nUser-Agent: some-scanner/1.0 (probe)\r\n\r\n").read();
            assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
            assertEquals("close", r.header("Connection"));
        }
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send("GET / HTTP/2.0\r\nHost: a\r\nUser-Agent: some-scanner/1.0\r\n\r\n").read();
            assertEquals("HTTP/1.1 505 HTTP Version Not Supported", r.statusLine);
        }
        try (RawClient c = new RawClient(front.port)) {
            // HTTP/1.0 needs no Host and is not kept alive
            RawClient.Response r = c.send("GET /robots.txt HTTP/1.0\r\nUser-Agent: some-scanner/1.0\r\n\r\n").read();
            assertEquals("HTTP/1.1 200 OK", r.statusLine);
            assertEquals("close", r.header("Connection"));
            assertEquals(RawClient.Next.FIN, c.next());
        }
    }

    @Test
    void http09GetsTheBareFile() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            c.send("GET /robots.txt\r\n");
            assertArrayEquals(resource("robots.txt"), c.readToEof());
        }
    }

    @Test
    void gzipForHtmlLikeDebiansGzipOn() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/", "Accept-Encoding: gzip, deflate, br")).read();
            assertEquals("HTTP/1.1 200 OK", r.statusLine);
            assertEquals(List.of("Server", "Date", "Content-Type", "Last-Modified", "Transfer-Encoding",
                    "Connection", "ETag", "Content-Encoding"), r.headerNames());
            assertEquals("W/" + etagOf(MTIME, index.length), r.header("ETag"));
            assertEquals("gzip", r.header("Content-Encoding"));
            assertArrayEquals(index, gunzip(r.rawBody));
            // CSS is not in gzip_types: plain
            RawClient.Response css = c.send(get("/style.css", "Accept-Encoding: gzip")).read();
            assertNull(css.header("Content-Encoding"));
            // q=0 refuses gzip
            RawClient.Response q0 = c.send(get("/", "Accept-Encoding: gzip;q=0")).read();
            assertNull(q0.header("Content-Encoding"));
            assertArrayEquals(index, q0.rawBody);
        }
    }

    @Test
    void ranges() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send(get("/", "Range: bytes=0-9")).read();
            assertEquals("HTTP/1.1 206 Partial Content", r.statusLine);
            assertEquals("bytes 0-9/" + index.length, r.header("Content-Range"));
            assertEquals("10", r.header("Content-Length"));
            assertEquals(new String(index, 0, 10, StandardCharsets.ISO_8859_1),
                    new String(r.rawBody, StandardCharsets.ISO_8859_1));
            RawClient.Response tail = c.send(get("/", "Range: bytes=-5")).read();
            assertEquals("bytes " + (index.length - 5) + "-" + (index.length - 1) + "/" + index.length,
                    tail.header("Content-Range"));
            RawClient.Response bad = c.send(get("/", "Range: bytes=100000-")).read();
            assertEquals("HTTP/1.1 416 Requested Range Not Satisfiable", bad.statusLine);
            assertEquals("bytes */" + index.length, bad.header("Content-Range"));
            RawClient.Response multi = c.send(get("/style.css", "Range: bytes=0-1,5-6")).read();
            assertEquals("HTTP/1.1 206 Partial Content", multi.statusLine);
            assertTrue(multi.header("Content-Type").matches("multipart/byteranges; boundary=\\d{20}"));
            String boundary = multi.header("Content-Type").substring(31);
            String body = new String(multi.rawBody, StandardCharsets.ISO_8859_1);
            assertTrue(body.startsWith("\r\n--" + boundary + "\r\nContent-Type: text/css\r\nContent-Range: bytes 0-1/"));
            assertTrue(body.endsWith("\r\n--" + boundary + "--\r\n"));
        }
    }

    @Test
    void bodiesAreDiscardedAndExpectContinue() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            // a GET with a body, the body split from the head, then a pipelined GET
            c.send("GET /robots.txt HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\nUser-Agent: x\r\n\r\n0123456789");
            Thread.sleep(100);
            c.send("abcdefghij" + get("/"));
            assertArrayEquals(resource("robots.txt"), c.read().rawBody);
            assertArrayEquals(index, c.read().rawBody);
            // chunked body on a 404, then the next request
            c.send("POST /form HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + get("/robots.txt"));
            assertEquals("HTTP/1.1 404 Not Found", c.read().statusLine);
            assertArrayEquals(resource("robots.txt"), c.read().rawBody);
            // Expect: 100-continue on a static GET is answered before the response
            c.send("GET /robots.txt HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
            RawClient.Response cont = c.read(true);
            assertEquals("HTTP/1.1 100 Continue", cont.statusLine);
            c.send("xyz");
            assertArrayEquals(resource("robots.txt"), c.read().rawBody);
        }
    }

    @Test
    void tooLargeBodyIs413() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000000\r\n\r\n").read();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", r.statusLine);
            assertEquals("close", r.header("Connection"));
        }
    }

    @Test
    void lingeringCloseAfterA400() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            byte[] junk = new byte[Front.FIRST_BYTES];
            junk[0] = 0x7f;
            RawClient.Response r = c.send(junk).read();
            assertEquals("HTTP/1.1 400 Bad Request", r.statusLine);
            long t0 = System.nanoTime();
            assertEquals(RawClient.Next.FIN, c.next()); // a half-close right after the answer
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000);
            // nginx keeps reading (and dropping) for lingering_timeout: writes are not reset yet
            c.send(new byte[1000]);
            Thread.sleep(200);
            c.send(new byte[1000]);
            Thread.sleep(200);
            c.send(new byte[1000]);
        }
    }

    @Test
    void lettersWithoutASpaceWaitThenCloseSilently() throws Exception {
        BuiltInSite quick = new BuiltInSite(vertx, new BuiltInSite.Options().contentMtime(MTIME)
                .headerTimeout(Duration.ofMillis(1500)));
        try (Front f = Front.start(vertx, quick, Front.FIRST_BYTES, 300);
             RawClient c = new RawClient(f.port)) {
            long t0 = System.nanoTime();
            c.send("A".repeat(Front.FIRST_BYTES)); // still a possible method name: nginx waits
            c.timeout(700);
            assertEquals(RawClient.Next.NOTHING, c.next());
            c.timeout(5000);
            assertEquals(RawClient.Next.FIN, c.next()); // client_header_timeout: closed, nothing sent
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 1300 && ms < 4000, "closed after " + ms + " ms");
        }
    }

    @Test
    void slowlorisIsCutByTheHeaderTimeout() throws Exception {
        BuiltInSite quick = new BuiltInSite(vertx, new BuiltInSite.Options().contentMtime(MTIME)
                .headerTimeout(Duration.ofMillis(1500)));
        try (Front f = Front.start(vertx, quick, Front.FIRST_BYTES, 300);
             RawClient c = new RawClient(f.port)) {
            long t0 = System.nanoTime();
            String req = get("/", "X-Slow: " + "z".repeat(200));
            RawClient.Next seen = null;
            for (int i = 0; i < req.length() - 4; i++) {
                try {
                    c.send(req.substring(i, i + 1));
                } catch (IOException e) {
                    break; // closed under us: fine, checked below
                }
                Thread.sleep(20);
                if ((System.nanoTime() - t0) / 1_000_000 > 3500) {
                    break;
                }
            }
            c.timeout(3000);
            seen = c.next();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(seen == RawClient.Next.FIN || seen == RawClient.Next.RESET, "saw " + seen);
            assertTrue(ms >= 1300 && ms < 6000, "closed after " + ms + " ms");
        }
    }

    @Test
    void keepaliveTimeoutCloses() throws Exception {
        BuiltInSite quick = new BuiltInSite(vertx, new BuiltInSite.Options().contentMtime(MTIME)
                .keepaliveTimeout(Duration.ofMillis(800)));
        try (Front f = Front.start(vertx, quick, Front.FIRST_BYTES, 300);
             RawClient c = new RawClient(f.port)) {
            assertArrayEquals(index, c.send(get("/")).read().rawBody);
            long t0 = System.nanoTime();
            assertEquals(RawClient.Next.FIN, c.next());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 600 && ms < 3000, "closed after " + ms + " ms");
        }
    }

    @Test
    void shortFirstSegmentAfterTheDeadline() throws Exception {
        // fewer than 51 bytes: the front hands over at its deadline; the request still works
        try (RawClient c = new RawClient(front.port)) {
            RawClient.Response r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertEquals("HTTP/1.1 200 OK", r.statusLine);
            assertArrayEquals(index, r.rawBody);
        }
    }

    @Test
    void pathNormalisation() throws Exception {
        try (RawClient c = new RawClient(front.port)) {
            assertArrayEquals(index, c.send(get("/a/../index.html")).read().rawBody);
            assertArrayEquals(index, c.send(get("//%69ndex.html?x=1")).read().rawBody);
            assertEquals("HTTP/1.1 400 Bad Request", c.send(get("/../etc/passwd")).read().statusLine);
        }
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
