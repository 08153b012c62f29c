package io.tt.server.fakesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The static site, loaded once and kept in memory with everything a response needs pre-built.
 *
 * <p>Files come from the classpath folder {@code fakesite/}; {@code fakesite/MANIFEST} lists them,
 * one name a line (the manifest itself is not served). Each file gets what nginx would derive from
 * the file system: Content-Type from nginx's stock mime.types, Last-Modified from its mtime, and
 * ETag {@code "hex(mtime)-hex(size)"} (ngx_http_set_etag). HTML also gets a gzip body as Debian's
 * nginx.conf ({@code gzip on}, level 1, text/html only) would send it.
 */
final class SiteContent {

    static final int MAX_FILE = 1 << 20;
    private static final String ROOT = "fakesite/";

    /** One servable file. All arrays are shared and never modified. */
    static final class Resource {
        final String path;
        final byte[] body;
        final String contentType;
        final long mtime;
        final String etag;
        final String weakEtag;
        /** Non-null when nginx's gzip filter would compress it: chunked gzip body, ready to send. */
        final byte[] gzipChunked;
        /** Bytes after "Date: <date>" up to and excluding the Connection value, for a full 200. */
        final byte[] afterDate200;
        /** Bytes after the Connection value to the end of the head, for a full 200. */
        final byte[] tail200;
        final byte[] afterDateGzip;
        final byte[] tailGzip;

        Resource(String path, byte[] body, String contentType, long mtime, boolean gzipType) {
            this.path = path;
            this.body = body;
            this.contentType = contentType;
            this.mtime = mtime;
            this.etag = "\"" + Long.toHexString(mtime) + "-" + Long.toHexString(body.length) + "\"";
            this.weakEtag = "W/" + etag;
            this.gzipChunked = gzipType && body.length >= GZIP_MIN_LENGTH ? chunked(gzip(body)) : null;
            String lm = HttpTime.format(mtime);
            this.afterDate200 = NginxPages.ascii("\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + body.length
                    + "\r\nLast-Modified: " + lm
                    + "\r\nConnection: ");
            this.tail200 = NginxPages.ascii("\r\nETag: " + etag + "\r\nAccept-Ranges: bytes\r\n\r\n");
            this.afterDateGzip = NginxPages.ascii("\r\nContent-Type: " + contentType
                    + "\r\nLast-Modified: " + lm
                    + "\r\nTransfer-Encoding: chunked"
                    + "\r\nConnection: ");
            this.tailGzip = NginxPages.ascii("\r\nETag: " + weakEtag + "\r\nContent-Encoding: gzip\r\n\r\n");
        }
    }

    /** nginx's gzip_min_length default. */
    static final int GZIP_MIN_LENGTH = 20;

    private final Map<String, Resource> byPath;

    private SiteContent(Map<String, Resource> byPath) {
        this.byPath = byPath;
    }

    /**
     * Loads the classpath site. {@code baseMtime} is the newest file's modification time (Unix
     * seconds); older files get earlier, fixed offsets from it, as a site edited over a few days.
     */
    static SiteContent loadClasspath(long baseMtime) {
        ClassLoader cl = SiteContent.class.getClassLoader();
        byte[] manifest = read(cl, ROOT + "MANIFEST");
        Map<String, Resource> map = new LinkedHashMap<>();
        String[] names = new String(manifest, StandardCharsets.UTF_8).split("\n");
        int i = 0;
        for (String raw : names) {
            String name = raw.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            if (name.contains("..") || name.startsWith("/")) {
                throw new IllegalStateException("bad fakesite manifest entry: " + name);
            }
            byte[] body = read(cl, ROOT + name);
            // files edited at different moments: each one 1..7 hours and some minutes before the last
            long mtime = baseMtime - (i == 0 ? 0 : (3600L * (1 + (i * 5) % 7) + 60L * ((i * 37) % 60) + (i * 13) % 60));
            i++;
            String type = mimeType(name);
            map.put("/" + name, new Resource("/" + name, body, type, mtime, "text/html".equals(type)));
        }
        if (!map.containsKey("/index.html")) {
            throw new IllegalStateException("fakesite has no index.html");
        }
        return new SiteContent(Collections.unmodifiableMap(map));
    }

    /** The file nginx would serve for this normalised URI with "try_files $uri $uri/ =404", or null. */
    Resource resolve(byte[] uri) {
        if (uri.length == 0 || uri[0] != '/') {
            return null;
        }
        if (uri.length == 1) {
            return byPath.get("/index.html"); // "$uri/" is the root directory -> index
        }
        if (uri.length > 256) {
            return null;
        }
        for (byte b : uri) {
            if (b < 0x21 || b > 0x7e) {
                return null; // no such file among ours
            }
        }
        return byPath.get(new String(uri, StandardCharsets.ISO_8859_1));
    }

    Map<String, Resource> all() {
        return byPath;
    }

    private static byte[] read(ClassLoader cl, String name) {
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_FILE) {
                    throw new IllegalStateException("fakesite file too large: " + name);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** nginx's conf/mime.types for the extensions a small site has; default_type otherwise. */
    private static final Map<String, String> MIME = new HashMap<>();

    static {
        MIME.put("html", "text/html");
        MIME.put("htm", "text/html");
        MIME.put("shtml", "text/html");
        MIME.put("css", "text/css");
        MIME.put("xml", "text/xml");
        MIME.put("gif", "image/gif");
        MIME.put("jpeg", "image/jpeg");
        MIME.put("jpg", "image/jpeg");
        MIME.put("js", "application/javascript");
        MIME.put("txt", "text/plain");
        MIME.put("png", "image/png");
        MIME.put("svg", "image/svg+xml");
        MIME.put("svgz", "image/svg+xml");
        MIME.put("webp", "image/webp");
        MIME.put("ico", "image/x-icon");
        MIME.put("json", "application/json");
        MIME.put("pdf", "application/pdf");
        MIME.put("woff", "font/woff");
        MIME.put("woff2", "font/woff2");
    }

    static String mimeType(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        if (dot < 0 || dot <= slash + 1) {
            // no extension, or a leading-dot name: nginx's r->exten is empty
            return "application/octet-stream";
        }
        String t = MIME.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return t != null ? t : "application/octet-stream";
    }

    /**
     * gzip as nginx's gzip filter writes it with zlib (deflateInit2, windowBits + 16): header
     * {@code 1f 8b 08 00 00000000 04 03} (no mtime, XFL 4 for level 1, OS 3 = Unix), raw deflate at
     * gzip_comp_level 1, CRC32 and size trailer.
     */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 4, 3}, 0, 10);
        Deflater d = new Deflater(1, true);
        try {
            d.setInput(data);
            d.finish();
            byte[] buf = new byte[4096];
            while (!d.finished()) {
                int n = d.deflate(buf);
                out.write(buf, 0, n);
            }
        } finally {
            d.end();
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        int c = (int) crc.getValue();
        int n = data.length;
        out.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
            (byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)}, 0, 8);
        return out.toByteArray();
    }

    /** One chunk plus the last chunk, as nginx's chunked filter frames a body sent in one piece. */
    static byte[] chunked(byte[] body) {
        byte[] head = NginxPages.ascii(Integer.toHexString(body.length) + "\r\n");
        byte[] tail = NginxPages.ascii("\r\n0\r\n\r\n");
        byte[] out = new byte[head.length + body.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        System.arraycopy(tail, 0, out, head.length + body.length, tail.length);
        return out;
    }
}
