package io.tt.server.fakesite;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser port and the date code on their own, good and hostile input. */
class NginxParserTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static NginxParser line(String s, int expect) {
        NginxParser p = new NginxParser();
        byte[] in = b(s);
        assertEquals(expect, p.parseRequestLine(in, 0, in.length), s);
        return p;
    }

    @Test
    void requestLines() {
        NginxParser p = line("GET /index.html HTTP/1.1\r\n", NginxParser.OK);
        assertEquals(NginxParser.M_GET, p.method);
        assertEquals(NginxParser.VERSION_11, p.httpVersion);
        assertEquals("/index.html", new String(p.normalisedUri(b("GET /index.html HTTP/1.1\r\n")), StandardCharsets.ISO_8859_1));
        assertEquals(NginxParser.M_UNKNOWN, line("FOO_BAR / HTTP/1.0\n", NginxParser.OK).method);
        assertEquals(NginxParser.VERSION_9, line("GET /\r\n", NginxParser.OK).httpVersion);
        line("POST /\r\n", NginxParser.INVALID_09_METHOD);
        line("get / HTTP/1.1\r\n", NginxParser.INVALID_METHOD);
        line("\u0016\u0003\u0001", NginxParser.INVALID_METHOD);
        line("GET / HTTP/2.0\r\n", NginxParser.INVALID_VERSION);
        line("GET / http/1.1\r\n", NginxParser.INVALID_REQUEST);
        line("GET * HTTP/1.1\r\n", NginxParser.INVALID_REQUEST);
        line("GET /a\u0001b HTTP/1.1\r\n", NginxParser.INVALID_REQUEST);
        line("GET / HTTP/1.1\rX", NginxParser.INVALID_REQUEST);
        line("GET / HTTP/1.1000\r\n", NginxParser.INVALID_REQUEST);
        // leading empty lines are skipped, incomplete lines ask for more
        assertEquals(NginxParser.M_HEAD, line("\r\n\r\nHEAD / HTTP/1.0\r\n", NginxParser.OK).method);
        line("GET /index.ht", NginxParser.AGAIN);
        line("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NginxParser.AGAIN);
        // absolute form
        NginxParser abs = line("GET http://Example.COM:8080/x?y HTTP/1.1\r\n", NginxParser.OK);
        byte[] absIn = b("GET http://Example.COM:8080/x?y HTTP/1.1\r\n");
        assertEquals("Example.COM", new String(absIn, abs.hostStart, abs.hostEnd - abs.hostStart, StandardCharsets.ISO_8859_1));
        assertEquals("/x", new String(abs.normalisedUri(absIn), StandardCharsets.ISO_8859_1));
        NginxParser bare = line("GET http://h HTTP/1.1\r\n", NginxParser.OK);
        assertEquals("/", new String(bare.normalisedUri(b("GET http://h HTTP/1.1\r\n")), StandardCharsets.ISO_8859_1));
    }

    @Test
    void incrementalParsingMatchesOneShot() {
        String req = "GET /a/b/../c.html?x=%20 HTTP/1.1\r\n";
        byte[] in = b(req);
        NginxParser p = new NginxParser();
        int rc = NginxParser.AGAIN;
        int pos = 0;
        for (int end = 1; end <= in.length && rc == NginxParser.AGAIN; end++) {
            rc = p.parseRequestLine(in, pos, end);
            if (rc == NginxParser.AGAIN) {
                pos = p.pos;
            }
        }
        assertEquals(NginxParser.OK, rc);
        assertEquals("/a/c.html", new String(p.normalisedUri(in), StandardCharsets.ISO_8859_1));
    }

    static String uri(String path) {
        String req = "GET " + path + " HTTP/1.1\r\n";
        NginxParser p = line(req, NginxParser.OK);
        byte[] u = p.normalisedUri(b(req));
        return u == null ? null : new String(u, StandardCharsets.ISO_8859_1);
    }

    @Test
    void complexUris() {
        assertEquals("/index.html", uri("//index.html"));
        assertEquals("/index.html", uri("/./index.html"));
        assertEquals("/index.html", uri("/x/../index.html"));
        assertEquals("/index.html", uri("/%69ndex.html"));
        assertEquals("/", uri("/x/.."));
        assertEquals("/a/", uri("/a/b/.."));
        assertEquals("/a b", uri("/a%20b?q"));
        assertEquals("/x", uri("/x#frag"));
        assertEquals("/%", uri("/%25"));
        assertNull(uri("/.."));
        assertNull(uri("/../x"));
        assertNull(uri("/%2e%2e/x"));
        assertNull(uri("/%zz"));
        assertNull(uri("/%4"));
        assertNull(uri("/a%00b"));
    }

    static int header(NginxParser p, String s) {
        byte[] in = b(s);
        p.state = 0;
        return p.parseHeaderLine(in, 0, in.length);
    }

    @Test
    void headerLines() {
        NginxParser p = new NginxParser();
        assertEquals(NginxParser.OK, header(p, "Host: a.example\r\n"));
        assertFalse(p.invalidHeader);
        assertEquals(NginxParser.OK, header(p, "X_Under: 1\r\n"));
        assertTrue(p.invalidHeader); // underscores_in_headers off: ignored, not refused
        assertEquals(NginxParser.OK, header(p, "X{bad}: 1\r\n"));
        assertTrue(p.invalidHeader);
        assertEquals(NginxParser.INVALID_HEADER, header(p, " folded\r\n"));
        assertEquals(NginxParser.INVALID_HEADER, header(p, ": empty\r\n"));
        assertEquals(NginxParser.INVALID_HEADER, header(p, "Na me: v\r\n"));
        assertEquals(NginxParser.INVALID_HEADER, header(p, "A: b\u0000c\r\n"));
        assertEquals(NginxParser.INVALID_HEADER, header(p, "A: b\rc"));
        assertEquals(NginxParser.HEADER_DONE, header(p, "\r\n"));
        assertEquals(NginxParser.HEADER_DONE, header(p, "\n"));
        assertEquals(NginxParser.AGAIN, header(p, "Accept: text"));
        // trailing spaces are not part of the value
        byte[] in = b("Accept:   x y  \r\n");
        p.state = 0;
        assertEquals(NginxParser.OK, p.parseHeaderLine(in, 0, in.length));
        assertEquals("x y", new String(in, p.headerStart, p.headerEnd - p.headerStart, StandardCharsets.ISO_8859_1));
    }

    @Test
    void hosts() {
        assertTrue(NginxUri.validHost(b("example.com"), 0, 11));
        assertTrue(NginxUri.validHost(b("example.com."), 0, 12));
        assertTrue(NginxUri.validHost(b("[::1]:80"), 0, 8));
        assertFalse(NginxUri.validHost(b("a..b"), 0, 4));
        assertFalse(NginxUri.validHost(b("a/b"), 0, 3));
        assertFalse(NginxUri.validHost(b(""), 0, 0));
        assertFalse(NginxUri.validHost(b(":80"), 0, 3));
        assertFalse(NginxUri.validHost(b("a b"), 0, 3));
    }

    @Test
    void chunkedBodies() {
        NginxChunked c = new NginxChunked();
        byte[] body = b("5\r\nhello\r\n1a;ext=1\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\nNEXT");
        int p = c.discard(body, 0, body.length);
        assertTrue(c.done);
        assertEquals("NEXT", new String(body, p, body.length - p, StandardCharsets.ISO_8859_1));
        // byte by byte gives the same end
        NginxChunked d = new NginxChunked();
        int q = 0;
        while (!d.done) {
            q = d.discard(body, q, q + 1);
        }
        assertEquals(p, q);
        assertEquals(-1, new NginxChunked().discard(b("zz\r\n"), 0, 4));
        assertEquals(-1, new NginxChunked().discard(b("5\r\nhelloX"), 0, 9));
        assertEquals(-1, new NginxChunked().discard(b("fffffffffffffffffff\r\n"), 0, 21));
    }

    @Test
    void hostileBytesNeverThrow() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20000; i++) {
            byte[] in = new byte[rnd.nextInt(300)];
            rnd.nextBytes(in);
            if (i % 3 == 0 && in.length > 8) {
                System.arraycopy(b("GET /"), 0, in, 0, 5);
            }
            NginxParser p = new NginxParser();
            int rc = p.parseRequestLine(in, 0, in.length);
            if (rc == NginxParser.OK) {
                p.normalisedUri(in);
                p.state = 0;
                p.parseHeaderLine(in, p.pos, in.length);
            }
            new NginxChunked().discard(in, 0, in.length);
            HttpTime.parse(in, 0, in.length);
        }
    }

    @Test
    void httpDates() {
        assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", HttpTime.format(1_700_000_000L));
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpTime.format(0));
        assertEquals("Tue, 29 Feb 2000 12:00:00 GMT", HttpTime.format(951_825_600L));
        assertEquals(1_700_000_000L, HttpTime.parse("Tue, 14 Nov 2023 22:13:20 GMT"));
        assertEquals(1_700_000_000L, HttpTime.parse("Tuesday, 14-Nov-23 22:13:20 GMT"));
        assertEquals(1_700_000_000L, HttpTime.parse("Tue Nov 14 22:13:20 2023"));
        assertEquals(951_825_600L, HttpTime.parse("Tue, 29 Feb 2000 12:00:00 GMT"));
        assertEquals(HttpTime.INVALID, HttpTime.parse("Mon, 29 Feb 2023 12:00:00 GMT"));
        assertEquals(HttpTime.INVALID, HttpTime.parse("Tue, 14 Nov 2023 24:13:20 GMT"));
        assertEquals(HttpTime.INVALID, HttpTime.parse("yesterday"));
        assertEquals(HttpTime.INVALID, HttpTime.parse(""));
        Random rnd = new Random(5);
        for (int i = 0; i < 2000; i++) {
            long t = (rnd.nextLong() & Long.MAX_VALUE) % 4_000_000_000L;
            assertEquals(t, HttpTime.parse(HttpTime.format(t)));
        }
    }

    @Test
    void nginxPageSizes() {
        // lengths nginx 1.24.0 sends (server_tokens on): 153 for 404, 157 for 400
        assertEquals(153, NginxPages.page(404).length);
        assertEquals(157, NginxPages.page(400).length);
        assertEquals(6 * 67, NginxPages.MSIE_PADDING.length);
    }
}
