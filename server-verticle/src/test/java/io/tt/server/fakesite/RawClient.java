package io.tt.server.fakesite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A blocking loopback client that sees exactly the bytes and the closes a prober would. */
final class RawClient implements AutoCloseable {

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawClient send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    void timeout(int ms) throws SocketException {
        socket.setSoTimeout(ms);
    }

    /** One response; {@code noBody} for HEAD and 304, where the head alone is the response. */
    Response read(boolean noBody) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF inside the head after " + head.size() + " bytes: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1
                    : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (head.size() > 65536) {
                throw new IOException("head too long");
            }
        }
        Response r = new Response(head.toByteArray());
        if (noBody) {
            return r;
        }
        String te = r.header("Transfer-Encoding");
        String cl = r.header("Content-Length");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            r.rawBody = readChunked();
        } else if (cl != null) {
            r.rawBody = readN(Integer.parseInt(cl));
        } else {
            r.rawBody = readToEof();
        }
        return r;
    }

    Response read() throws IOException {
        return read(false);
    }

    byte[] readN(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int k = in.read(b, off, n - off);
            if (k < 0) {
                throw new IOException("EOF after " + off + " of " + n + " body bytes");
            }
            off += k;
        }
        return b;
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (;;) {
            String line = readLine();
            int size = Integer.parseInt(line.trim(), 16);
            if (size == 0) {
                String end = readLine();
                if (!end.isEmpty()) {
                    throw new IOException("trailer not expected: " + end);
                }
                return raw.toByteArray();
            }
            raw.write(readN(size));
            byte[] crlf = readN(2);
            if (crlf[0] != '\r' || crlf[1] != '\n') {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF in chunked framing");
            }
            if (c == '\n') {
                String s = sb.toString();
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            sb.append((char) c);
        }
    }

    /** Everything until the peer's FIN; fails on a reset or the read timeout. */
    byte[] readToEof() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) >= 0) {
            b.write(buf, 0, n);
        }
        return b.toByteArray();
    }

    /** What the peer did next, within the read timeout. */
    enum Next { DATA, FIN, RESET, NOTHING }

    Next next() throws IOException {
        try {
            int c = in.read();
            return c < 0 ? Next.FIN : Next.DATA;
        } catch (SocketTimeoutException e) {
            return Next.NOTHING;
        } catch (SocketException e) {
            return Next.RESET;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A parsed HTTP response head (and body, once read). */
    static final class Response {
        final byte[] head;
        final String statusLine;
        final List<String[]> headers = new ArrayList<>();
        byte[] rawBody = new byte[0];

        Response(byte[] head) {
            this.head = head;
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String[] lines = text.split("\r\n");
            statusLine = lines[0];
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isEmpty()) {
                    continue;
                }
                int c = lines[i].indexOf(':');
                headers.add(new String[] {lines[i].substring(0, c), lines[i].substring(c + 2)});
            }
        }

        String header(String name) {
            for (String[] h : headers) {
                if (h[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return h[1];
                }
            }
            return null;
        }

        List<String> headerNames() {
            List<String> l = new ArrayList<>();
            for (String[] h : headers) {
                l.add(h[0]);
            }
            return l;
        }

        String headText() {
            return new String(head, StandardCharsets.ISO_8859_1);
        }
    }
}
