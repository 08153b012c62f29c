package io.tt.server.fakesite;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection to the {@link BuiltInSite}: nginx 1.24.0's request cycle, re-enacted step by step
 * from src/http/ngx_http_request.c (reading the head, keepalive, pipelining, lingering close),
 * ngx_http_request_body.c (discarding bodies), ngx_http_core_module.c (keepalive rules,
 * client_max_body_size), the try_files/index/static handlers and the header filters
 * (not_modified, gzip, range, chunked, header) in nginx's order.
 *
 * <p>Runs on one thread (see {@link ConnLoop}); every entry point catches everything and closes the
 * socket on an unexpected error. Memory is bounded: the input buffer grows to {@link #MAX_IN} at
 * most, and reading pauses while it is full or while the socket's write queue is full.
 */
final class SiteConnection {

    static final int CLIENT_HEADER_BUFFER = 1024;
    static final int LARGE = 8192;
    static final int LARGE_NUM = 4;
    static final long MAX_BODY = 1L << 20;
    static final int MAX_IN = 64 * 1024;
    private static final int MAX_STASH = 256 * 1024;

    private static final int P_LINE = 1;
    private static final int P_HEADERS = 2;
    private static final int P_DISCARD = 3;
    private static final int P_KEEPALIVE = 4;
    private static final int P_LINGER = 5;
    private static final int P_CLOSING = 6;
    private static final int P_CLOSED = 7;

    // known request headers, nginx's ngx_http_headers_in entries that matter here
    private static final int H_HOST = 0;
    private static final int H_CONNECTION = 1;
    private static final int H_IMS = 2;
    private static final int H_IUMS = 3;
    private static final int H_IF_MATCH = 4;
    private static final int H_INM = 5;
    private static final int H_UA = 6;
    private static final int H_CL = 7;
    private static final int H_CONTENT_RANGE = 8;
    private static final int H_RANGE = 9;
    private static final int H_IF_RANGE = 10;
    private static final int H_TE = 11;
    private static final int H_EXPECT = 12;
    private static final int H_AE = 13;
    private static final int H_VIA = 14;
    private static final int H_AUTH = 15;
    private static final int H_COUNT = 16;
    private static final String[] NAMES = {
        "host", "connection", "if-modified-since", "if-unmodified-since", "if-match",
        "if-none-match", "user-agent", "content-length", "content-range", "range", "if-range",
        "transfer-encoding", "expect", "accept-encoding", "via", "authorization"
    };
    /** Headers nginx handles with ngx_http_process_unique_header_line: a second one is a 400. */
    private static final boolean[] UNIQUE = new boolean[H_COUNT];

    static {
        for (int h : new int[] {H_IMS, H_IUMS, H_IF_MATCH, H_INM, H_CL, H_CONTENT_RANGE,
            H_IF_RANGE, H_TE, H_EXPECT, H_AUTH}) {
            UNIQUE[h] = true;
        }
    }

    private static final byte[] OK_PREFIX = NginxPages.ascii(
            "HTTP/1.1 200 OK\r\nServer: " + NginxPages.VERSION + "\r\nDate: ");
    private static final byte[] KEEP_ALIVE = NginxPages.ascii("keep-alive");
    private static final byte[] CLOSE = NginxPages.ascii("close");
    private static final byte[] CONTINUE_100 = NginxPages.ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] PAGE_404_PADDED = concat(NginxPages.page(404), NginxPages.MSIE_PADDING);
    private static final byte[] GZIP_404 = SiteContent.chunked(SiteContent.gzip(NginxPages.page(404)));
    private static final byte[] GZIP_404_PADDED = SiteContent.chunked(SiteContent.gzip(PAGE_404_PADDED));

    private final BuiltInSite site;
    private final NetSocket so;
    private final ConnLoop loop;
    private final NginxParser ps = new NginxParser();

    // input: bytes [0, wr) of in; rd is the next byte to look at
    private byte[] in = new byte[2048];
    private int rd;
    private int wr;
    private Buffer stash;

    // nginx's header buffer: the current one ends at bufEnd; nbusy large buffers are in use
    private int bufEnd;
    private int bufSize;
    private int nbusy;

    private int phase;
    private boolean paused = true;
    private boolean writeBlocked;
    private Future<Void> lastWrite;

    // connection-wide
    private long startNanos;
    private int requests;
    private boolean pipeline;

    private Object headerTimer;
    private Object keepaliveTimer;
    private Object lingerTimer;
    private Object sendTimer;
    private long lingerDeadlineNanos;

    // the current request
    private final int[] hv = new int[2 * H_COUNT];
    private byte[] uri;
    private int connectionType;
    private boolean msie;
    private boolean msie6;
    private boolean opera;
    private boolean chrome;
    private long contentLength;
    private boolean chunked;
    private boolean keepalive;
    private boolean lingeringClose;
    private boolean expectTested;
    private boolean discardStarted;
    private boolean discardPending;
    private long bodyLeft;
    private NginxChunked chunkedBody;
    private int gzipOk;

    SiteConnection(BuiltInSite site, NetSocket so, ConnLoop loop) {
        this.site = site;
        this.so = so;
        this.loop = loop;
    }

    // ------------------------------------------------------------------ entry points

    void start(Buffer first, long acceptedAtNanos) {
        try {
            startNanos = acceptedAtNanos;
            so.handler(this::onData);
            so.endHandler(v -> onClosed());
            so.closeHandler(v -> onClosed());
            so.exceptionHandler(t -> { });
            so.drainHandler(v -> onDrain());
            // nginx adds client_header_timeout when it accepts the connection (no deferred accept)
            long elapsed = (System.nanoTime() - acceptedAtNanos) / 1_000_000L;
            headerTimer = loop.schedule(Math.max(0, site.headerTimeoutMs - elapsed), this::onHeaderTimeout);
            newRequest(false);
            phase = P_LINE;
            append(first);
            pump();
            if (phase != P_CLOSED) {
                // the caller may or may not have paused it: set the state we want explicitly
                paused = !needsPause();
                updateReading();
            }
        } catch (Throwable t) {
            abort();
        }
    }

    private void onData(Buffer b) {
        try {
            if (phase == P_CLOSED) {
                return;
            }
            if (phase == P_LINGER || phase == P_CLOSING) {
                lingerRead();
                return;
            }
            if (phase == P_DISCARD) {
                feedDiscard(b.getBytes());
                pump();
                updateReading();
                return;
            }
            append(b);
            pump();
            updateReading();
        } catch (Throwable t) {
            abort();
        }
    }

    private void onDrain() {
        try {
            if (phase == P_CLOSED || !writeBlocked) {
                return;
            }
            writeBlocked = false;
            cancel(sendTimer);
            sendTimer = null;
            pump();
            updateReading();
        } catch (Throwable t) {
            abort();
        }
    }

    private void onClosed() {
        phase = P_CLOSED;
        cancelAllTimers();
        stash = null;
    }

    private void onHeaderTimeout() {
        headerTimer = null;
        if (phase == P_LINE || phase == P_HEADERS) {
            closeNow(); // nginx: "client timed out", 408 logged, nothing sent
        }
    }

    // ------------------------------------------------------------------ input buffer

    private void append(Buffer b) {
        int len = b.length();
        if (len == 0) {
            return;
        }
        if (stash != null) {
            if (stash.length() + len > MAX_STASH) {
                abort();
                return;
            }
            stash.appendBuffer(b);
            return;
        }
        if (wr + len > in.length) {
            compact();
            if (wr + len > in.length && in.length < MAX_IN) {
                int n = Math.min(MAX_IN, Math.max(in.length * 2, wr + len));
                byte[] bigger = new byte[n];
                System.arraycopy(in, 0, bigger, 0, wr);
                in = bigger;
            }
        }
        int n = Math.min(in.length - wr, len);
        b.getBytes(0, n, in, wr);
        wr += n;
        if (n < len) {
            stash = b.getBuffer(n, len);
        }
    }

    /** Moves stashed bytes into the input buffer as room allows. */
    private void unstash() {
        if (stash == null) {
            return;
        }
        Buffer s = stash;
        stash = null;
        append(s);
    }

    /** Drops bytes nothing refers to any more and moves the rest to the front. */
    private void compact() {
        int keep = rd;
        if (phase == P_LINE && ps.state != 0 && ps.requestStart >= 0) {
            keep = Math.min(keep, ps.requestStart);
        } else if (phase == P_HEADERS) {
            if (ps.state != 0 && ps.headerNameStart >= 0) {
                keep = Math.min(keep, ps.headerNameStart);
            }
            for (int i = 0; i < hv.length; i += 2) {
                if (hv[i] >= 0) {
                    keep = Math.min(keep, hv[i]);
                }
            }
        }
        if (keep <= 0) {
            return;
        }
        System.arraycopy(in, keep, in, 0, wr - keep);
        wr -= keep;
        rd -= keep;
        bufEnd -= keep;
        ps.shift(keep);
        for (int i = 0; i < hv.length; i++) {
            if (hv[i] >= 0) {
                hv[i] -= keep;
            }
        }
    }

    private void updateReading() {
        if (phase == P_CLOSED) {
            return;
        }
        boolean pause = needsPause();
        if (pause && !paused) {
            paused = true;
            so.pause();
        } else if (!pause && paused) {
            paused = false;
            so.resume();
        }
    }

    private boolean needsPause() {
        return phase != P_LINGER && phase != P_CLOSING && phase != P_DISCARD
                && (writeBlocked || stash != null);
    }

    // ------------------------------------------------------------------ the request cycle

    private void pump() {
        while (phase != P_CLOSED && !writeBlocked) {
            boolean progress;
            switch (phase) {
                case P_KEEPALIVE:
                    if (rd >= wr) {
                        return;
                    }
                    // ngx_http_keepalive_handler: data arrived, a new request in a fresh c->buffer
                    cancel(keepaliveTimer);
                    keepaliveTimer = null;
                    newRequest(false);
                    phase = P_LINE;
                    progress = true;
                    break;
                case P_LINE:
                    progress = stepRequestLine();
                    break;
                case P_HEADERS:
                    progress = stepHeaders();
                    break;
                default:
                    return;
            }
            if (stash != null) {
                unstash();
            }
            if (!progress) {
                return;
            }
        }
    }

    /** Starts a request: in the current header buffer when pipelined, else in a fresh 1k one. */
    private void newRequest(boolean pipelined) {
        compactTo(rd);
        if (!pipelined) {
            bufSize = CLIENT_HEADER_BUFFER;
            bufEnd = rd + bufSize;
            nbusy = 0;
        } else {
            nbusy = bufSize == LARGE ? 1 : 0;
        }
        ps.resetRequest();
        requests++;
        for (int i = 0; i < hv.length; i++) {
            hv[i] = -1;
        }
        uri = null;
        connectionType = 0;
        msie = false;
        msie6 = false;
        opera = false;
        chrome = false;
        contentLength = -1;
        chunked = false;
        keepalive = false;
        lingeringClose = false;
        expectTested = false;
        discardStarted = false;
        discardPending = false;
        bodyLeft = 0;
        chunkedBody = null;
        gzipOk = -1;
    }

    private void compactTo(int keep) {
        if (keep <= 0) {
            return;
        }
        System.arraycopy(in, keep, in, 0, wr - keep);
        wr -= keep;
        rd -= keep;
        bufEnd -= keep;
        ps.shift(keep);
    }

    private void armHeaderTimer() {
        if (headerTimer == null) {
            headerTimer = loop.schedule(site.headerTimeoutMs, this::onHeaderTimeout);
        }
    }

    private boolean stepRequestLine() {
        int limit = Math.min(wr, bufEnd);
        int rc = ps.parseRequestLine(in, rd, limit);
        if (rc == NginxParser.AGAIN) {
            rd = ps.pos;
            if (rd < bufEnd) {
                armHeaderTimer();
                return false;
            }
            // ngx_http_alloc_large_header_buffer(r, 1)
            if (ps.state == 0) {
                // the client filled the buffer with CRLFs: nginx reuses it from the start
                compactTo(rd);
                bufEnd = rd + bufSize;
                return true;
            }
            int old = ps.requestStart;
            if (rd - old >= LARGE || nbusy >= LARGE_NUM) {
                special(414); // "client sent too long URI"
                return true;
            }
            nbusy++;
            bufSize = LARGE;
            bufEnd = old + LARGE;
            return true;
        }
        if (rc == NginxParser.OK) {
            rd = ps.pos;
            onRequestLine();
            return true;
        }
        // a bad request line: nginx leaves b->pos where this parse began
        special(rc == NginxParser.INVALID_VERSION ? 505 : 400);
        return true;
    }

    private void onRequestLine() {
        uri = ps.normalisedUri(in);
        if (uri == null) {
            special(400); // "client sent invalid request"
            return;
        }
        if (ps.hostStart >= 0 && ps.hostEnd >= 0) {
            if (!NginxUri.validHost(in, ps.hostStart, ps.hostEnd)) {
                special(400); // "client sent invalid host in request line"
                return;
            }
        }
        if (ps.httpVersion < NginxParser.VERSION_10) {
            processRequest();
            return;
        }
        phase = P_HEADERS;
        ps.state = 0;
    }

    private boolean stepHeaders() {
        if (rd == bufEnd) {
            // ngx_http_alloc_large_header_buffer(r, 0)
            int old = ps.headerNameStart;
            if ((ps.state != 0 && old >= 0 && rd - old >= LARGE) || nbusy >= LARGE_NUM) {
                lingeringClose = true;
                special(NginxPages.HEADER_TOO_LARGE);
                return true;
            }
            nbusy++;
            bufSize = LARGE;
            bufEnd = (ps.state == 0 || old < 0 ? rd : old) + LARGE;
        }
        int limit = Math.min(wr, bufEnd);
        if (rd >= limit) {
            armHeaderTimer();
            return false;
        }
        int rc = ps.parseHeaderLine(in, rd, limit);
        if (rc == NginxParser.AGAIN) {
            rd = ps.pos;
            return true;
        }
        if (rc == NginxParser.OK) {
            rd = ps.pos;
            if (!ps.invalidHeader) {
                headerLine();
            }
            return true;
        }
        if (rc == NginxParser.HEADER_DONE) {
            rd = ps.pos;
            processRequestHeader();
            return true;
        }
        special(400); // "client sent invalid header line"
        return true;
    }

    private void headerLine() {
        int ns = ps.headerNameStart;
        int ne = ps.headerNameEnd;
        int h = lookup(ns, ne);
        if (h < 0) {
            return;
        }
        int vs = ps.headerStart;
        int ve = ps.headerEnd;
        if (vs < 0 || ve < vs) {
            vs = ve = Math.max(ne, 0);
        }
        if (h == H_HOST) {
            if (hv[2 * H_HOST] >= 0) {
                special(400); // duplicate host header
                return;
            }
            if (!NginxUri.validHost(in, vs, ve)) {
                special(400); // invalid host header
                return;
            }
        } else if (UNIQUE[h] && hv[2 * h] >= 0) {
            special(400); // duplicate header line
            return;
        }
        if (h == H_CONNECTION) {
            if (HeaderValues.indexOfIgnoreCase(in, vs, ve, "close") >= 0) {
                connectionType = 1;
            } else if (HeaderValues.indexOfIgnoreCase(in, vs, ve, "keep-alive") >= 0) {
                connectionType = 2;
            }
        } else if (h == H_UA) {
            userAgent(vs, ve);
        }
        if (hv[2 * h] < 0) {
            hv[2 * h] = vs;
            hv[2 * h + 1] = ve;
        }
    }

    private int lookup(int s, int e) {
        int len = e - s;
        outer:
        for (int h = 0; h < H_COUNT; h++) {
            String n = NAMES[h];
            if (n.length() != len) {
                continue;
            }
            for (int i = 0; i < len; i++) {
                int c = in[s + i] & 0xff;
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != n.charAt(i)) {
                    continue outer;
                }
            }
            return h;
        }
        return -1;
    }

    /** ngx_http_process_user_agent: the browser flags nginx keeps (msie padding, keepalive). */
    private void userAgent(int s, int e) {
        int m = HeaderValues.indexOf(in, s, e, "MSIE ");
        if (m >= 0 && m + 7 < e) {
            msie = true;
            if (in[m + 6] == '.') {
                int v = in[m + 5];
                if (v == '4' || v == '5') {
                    msie6 = true;
                } else if (v == '6' && HeaderValues.indexOf(in, m + 8, e, "SV1") < 0) {
                    msie6 = true;
                }
            }
        }
        if (HeaderValues.indexOf(in, s, e, "Opera") >= 0) {
            opera = true;
            msie = false;
            msie6 = false;
        }
        if (!msie && !opera) {
            if (HeaderValues.indexOf(in, s, e, "Gecko/") < 0
                    && HeaderValues.indexOf(in, s, e, "Chrome/") >= 0) {
                chrome = true;
            }
        }
    }

    /** ngx_http_process_request_header. */
    private void processRequestHeader() {
        if (hv[2 * H_HOST] < 0 && ps.httpVersion > NginxParser.VERSION_10) {
            special(400); // HTTP/1.1 request without "Host" header
            return;
        }
        if (hv[2 * H_CL] >= 0) {
            contentLength = HeaderValues.atoof(in, hv[2 * H_CL], hv[2 * H_CL + 1]);
            if (contentLength < 0) {
                special(400); // invalid "Content-Length" header
                return;
            }
        }
        if (hv[2 * H_TE] >= 0) {
            if (ps.httpVersion < NginxParser.VERSION_11) {
                special(400);
                return;
            }
            int s = hv[2 * H_TE];
            int e = hv[2 * H_TE + 1];
            if (e - s == 7 && HeaderValues.indexOfIgnoreCase(in, s, e, "chunked") == s) {
                if (hv[2 * H_CL] >= 0) {
                    special(400); // "Content-Length" and "Transfer-Encoding" at the same time
                    return;
                }
                chunked = true;
            } else {
                special(501); // unknown "Transfer-Encoding"
                return;
            }
        }
        if (ps.method == NginxParser.M_CONNECT || ps.method == NginxParser.M_TRACE) {
            special(405);
            return;
        }
        processRequest();
    }

    /** ngx_http_process_request, ngx_http_handler and the phases, for this one location. */
    private void processRequest() {
        cancel(headerTimer);
        headerTimer = null;
        // ngx_http_handler
        switch (connectionType) {
            case 0:
                keepalive = ps.httpVersion > NginxParser.VERSION_10;
                break;
            case 1:
                keepalive = false;
                break;
            default:
                keepalive = true;
                break;
        }
        lingeringClose = contentLength > 0 || chunked;
        // find config: ngx_http_update_location_config
        if (keepalive) {
            if (requests >= site.keepaliveRequests) {
                keepalive = false;
            } else if ((System.nanoTime() - startNanos) / 1_000_000L > site.keepaliveTimeMs) {
                keepalive = false;
            } else if (msie6 && ps.method == NginxParser.M_POST) {
                keepalive = false;
            }
        }
        if (contentLength != -1 && contentLength > MAX_BODY) {
            expectTested = true;
            discardBody();
            special(413); // "client intended to send too large body"
            return;
        }
        // try_files $uri $uri/ =404
        SiteContent.Resource res = site.content.resolve(uri);
        if (res == null) {
            special(404);
            return;
        }
        // index (for "/") and static: anything but GET/HEAD/POST is refused first; POST after open
        int m = ps.method;
        if ((m & (NginxParser.M_GET | NginxParser.M_HEAD | NginxParser.M_POST)) == 0
                || m == NginxParser.M_POST) {
            special(405);
            return;
        }
        if (!discardBody()) {
            special(400); // "client sent invalid chunked body"
            return;
        }
        serveStatic(res);
    }

    // ------------------------------------------------------------------ request bodies

    /**
     * ngx_http_discard_request_body: answers 100-continue where nginx would, then drops the body
     * bytes already here. Returns false on a malformed chunked body.
     */
    private boolean discardBody() {
        if (discardStarted) {
            return true;
        }
        if (!expectTested) {
            expectTested = true;
            if (hv[2 * H_EXPECT] >= 0 && ps.httpVersion >= NginxParser.VERSION_11) {
                int s = hv[2 * H_EXPECT];
                int e = hv[2 * H_EXPECT + 1];
                if (e - s == 12 && HeaderValues.indexOfIgnoreCase(in, s, e, "100-continue") == s) {
                    write(Buffer.buffer(CONTINUE_100));
                }
            }
        }
        if (contentLength <= 0 && !chunked) {
            return true;
        }
        discardStarted = true;
        if (chunked) {
            chunkedBody = new NginxChunked();
            int np = chunkedBody.discard(in, rd, wr);
            if (np < 0) {
                return false;
            }
            rd = np;
            if (chunkedBody.done) {
                lingeringClose = false;
                return true;
            }
        } else {
            long take = Math.min(contentLength, wr - rd);
            rd += (int) take;
            bodyLeft = contentLength - take;
            if (bodyLeft == 0) {
                lingeringClose = false;
                return true;
            }
        }
        // the rest of the body comes later; stashed bytes are part of it
        discardPending = true;
        return true;
    }

    /** Body bytes arriving after the response (nginx's discarded body handler). */
    private void feedDiscard(byte[] data) {
        if (System.nanoTime() - lingerDeadlineNanos >= 0) {
            closeNow();
            return;
        }
        int p;
        if (chunkedBody != null) {
            p = chunkedBody.discard(data, 0, data.length);
            if (p < 0) {
                closeNow();
                return;
            }
        } else {
            long take = Math.min(bodyLeft, data.length);
            bodyLeft -= take;
            p = (int) take;
        }
        boolean done = chunkedBody != null ? chunkedBody.done : bodyLeft == 0;
        if (!done) {
            cancel(lingerTimer);
            long left = (lingerDeadlineNanos - System.nanoTime()) / 1_000_000L;
            lingerTimer = loop.schedule(Math.min(site.lingeringTimeoutMs, Math.max(1, left)), this::closeNow);
            return;
        }
        cancel(lingerTimer);
        lingerTimer = null;
        discardPending = false;
        lingeringClose = false;
        phase = P_KEEPALIVE; // placeholder until finalizeConnection decides
        rd = wr = 0;
        if (p < data.length) {
            append(Buffer.buffer(data).getBuffer(p, data.length));
        }
        finalizeConnection(true);
    }

    // ------------------------------------------------------------------ responses

    private void serveStatic(SiteContent.Resource res) {
        if (ps.httpVersion < NginxParser.VERSION_10) {
            // HTTP/0.9: no header filters at all, just the file
            write(Buffer.buffer(res.body));
            finalizeConnection(false);
            return;
        }
        // not_modified filter
        if (hv[2 * H_IUMS] >= 0) {
            long t = HttpTime.parse(in, hv[2 * H_IUMS], hv[2 * H_IUMS + 1]);
            if (!(t >= res.mtime)) {
                filterFinalize412();
                return;
            }
        }
        if (hv[2 * H_IF_MATCH] >= 0
                && !HeaderValues.ifMatch(in, hv[2 * H_IF_MATCH], hv[2 * H_IF_MATCH + 1], res.etag, false)) {
            filterFinalize412();
            return;
        }
        if (hv[2 * H_IMS] >= 0 || hv[2 * H_INM] >= 0) {
            boolean modified = false;
            if (hv[2 * H_IMS] >= 0) {
                long ims = HttpTime.parse(in, hv[2 * H_IMS], hv[2 * H_IMS + 1]);
                modified = ims != res.mtime; // if_modified_since exact
            }
            if (!modified && hv[2 * H_INM] >= 0
                    && !HeaderValues.ifMatch(in, hv[2 * H_INM], hv[2 * H_INM + 1], res.etag, true)) {
                modified = true;
            }
            if (!modified) {
                sendHead(304, null, -1, res.mtime, false,
                        List.of("ETag: " + res.etag), null);
                finalizeConnection(false);
                return;
            }
        }
        boolean head = ps.method == NginxParser.M_HEAD;
        // gzip filter (before range: it turns ranges off)
        if (res.gzipChunked != null && gzipOk()) {
            if (head) {
                // header_only is set after the gzip and chunked filters have run: no length, no chunking
                sendHead(200, res.contentType, -1, res.mtime, false,
                        List.of("ETag: " + res.weakEtag, "Content-Encoding: gzip"), null);
            } else {
                byte[] date = site.dateBytes();
                Buffer out = Buffer.buffer(OK_PREFIX.length + date.length + res.afterDateGzip.length + 10
                        + res.tailGzip.length + res.gzipChunked.length);
                out.appendBytes(OK_PREFIX).appendBytes(date).appendBytes(res.afterDateGzip)
                        .appendBytes(keepalive ? KEEP_ALIVE : CLOSE).appendBytes(res.tailGzip)
                        .appendBytes(res.gzipChunked);
                write(out);
            }
            finalizeConnection(false);
            return;
        }
        // range filter
        if (hv[2 * H_RANGE] >= 0 && rangeApplies(res)) {
            List<long[]> ranges = new ArrayList<>();
            int rc = HeaderValues.parseRanges(in, hv[2 * H_RANGE] + 6, hv[2 * H_RANGE + 1], res.body.length, ranges);
            if (rc == HeaderValues.RANGE_NOT_SATISFIABLE) {
                special(416, "Content-Range: bytes */" + res.body.length);
                return;
            }
            if (rc == HeaderValues.RANGE_OK) {
                sendRanges(res, ranges, head);
                finalizeConnection(false);
                return;
            }
        }
        byte[] date = site.dateBytes();
        Buffer out = Buffer.buffer(OK_PREFIX.length + date.length + res.afterDate200.length + 10
                + res.tail200.length + (head ? 0 : res.body.length));
        out.appendBytes(OK_PREFIX).appendBytes(date).appendBytes(res.afterDate200)
                .appendBytes(keepalive ? KEEP_ALIVE : CLOSE).appendBytes(res.tail200);
        if (!head) {
            out.appendBytes(res.body);
        }
        write(out);
        finalizeConnection(false);
    }

    private boolean rangeApplies(SiteContent.Resource res) {
        int s = hv[2 * H_RANGE];
        int e = hv[2 * H_RANGE + 1];
        if (e - s < 7 || HeaderValues.indexOfIgnoreCase(in, s, s + 6, "bytes=") != s) {
            return false;
        }
        if (hv[2 * H_IF_RANGE] >= 0) {
            int is = hv[2 * H_IF_RANGE];
            int ie = hv[2 * H_IF_RANGE + 1];
            if (ie - is >= 2 && in[ie - 1] == '"') {
                return HeaderValues.equalsAscii(in, is, ie, res.etag);
            }
            return HttpTime.parse(in, is, ie) == res.mtime;
        }
        return true;
    }

    private void sendRanges(SiteContent.Resource res, List<long[]> ranges, boolean head) {
        long total = res.body.length;
        if (ranges.size() == 1) {
            long[] r = ranges.get(0);
            int len = (int) (r[1] - r[0]);
            Buffer body = head ? null : Buffer.buffer(len).appendBytes(res.body, (int) r[0], len);
            sendHead(206, res.contentType, len, res.mtime, false,
                    List.of("ETag: " + res.etag, "Content-Range: bytes " + r[0] + "-" + (r[1] - 1) + "/" + total),
                    body);
            return;
        }
        String boundary = String.format("%020d", site.tempNumber.incrementAndGet());
        String partHead = "\r\n--" + boundary + "\r\nContent-Type: " + res.contentType
                + "\r\nContent-Range: bytes ";
        long len = 2 + 2 + boundary.length() + 4;
        List<String> ranged = new ArrayList<>(ranges.size());
        for (long[] r : ranges) {
            String cr = r[0] + "-" + (r[1] - 1) + "/" + total + "\r\n\r\n";
            ranged.add(cr);
            len += partHead.length() + cr.length() + (r[1] - r[0]);
        }
        Buffer body = null;
        if (!head) {
            body = Buffer.buffer((int) Math.min(len, Integer.MAX_VALUE));
            for (int i = 0; i < ranges.size(); i++) {
                long[] r = ranges.get(i);
                body.appendString(partHead).appendString(ranged.get(i))
                        .appendBytes(res.body, (int) r[0], (int) (r[1] - r[0]));
            }
            body.appendString("\r\n--" + boundary + "--\r\n");
        }
        sendHead(206, "multipart/byteranges; boundary=" + boundary, len, res.mtime, false,
                List.of("ETag: " + res.etag), body);
    }

    /** ngx_http_filter_finalize_request(412): a cleaned header, the page, then the connection closes. */
    private void filterFinalize412() {
        sendSpecialPage(412, null);
        phase = P_CLOSING;
        closeAfterWrite();
    }

    private void special(int status) {
        special(status, null);
    }

    /** ngx_http_special_response_handler: nginx's built-in error page for {@code status}. */
    private void special(int status, String extraHeader) {
        cancel(headerTimer);
        headerTimer = null;
        if (keepalive) {
            switch (status) {
                case 400: case 413: case 414: case 500: case 501:
                    keepalive = false;
                    break;
                default:
                    break;
            }
        }
        if (lingeringClose && status == 400) {
            lingeringClose = false;
        }
        expectTested = true;
        if (!discardBody()) {
            keepalive = false;
        }
        sendSpecialPage(status, extraHeader);
        finalizeConnection(false);
    }

    private void sendSpecialPage(int status, String extraHeader) {
        boolean pad = (msie || chrome) && ps.httpVersion >= NginxParser.VERSION_10 && status >= 400;
        byte[] page = status == 404 && pad ? PAGE_404_PADDED
                : pad ? concat(NginxPages.page(status), NginxPages.MSIE_PADDING) : NginxPages.page(status);
        if (ps.httpVersion < NginxParser.VERSION_10) {
            write(Buffer.buffer(page)); // HTTP/0.9: the page without a header
            return;
        }
        boolean head = ps.method == NginxParser.M_HEAD;
        boolean gz = status == 404 && gzipOk();
        List<String> extra = new ArrayList<>(2);
        if (extraHeader != null) {
            extra.add(extraHeader);
        }
        if (gz) {
            extra.add("Content-Encoding: gzip");
            Buffer body = head ? null : Buffer.buffer(pad ? GZIP_404_PADDED : GZIP_404);
            sendHead(status, "text/html", -1, -1, !head, extra, body);
            return;
        }
        sendHead(status, "text/html", page.length, -1, false, extra, head ? null : Buffer.buffer(page));
    }

    /**
     * ngx_http_header_filter's layout: status line, Server, Date, Content-Type, Content-Length,
     * Last-Modified, Transfer-Encoding, Connection, then the pushed headers in order.
     */
    private void sendHead(int status, String contentType, long contentLen, long lastModified,
                          boolean chunkedTe, List<String> extra, Buffer body) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 ").append(NginxPages.statusLine(status))
                .append("\r\nServer: ").append(NginxPages.VERSION)
                .append("\r\nDate: ").append(new String(site.dateBytes(), StandardCharsets.ISO_8859_1))
                .append("\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (contentLen >= 0) {
            sb.append("Content-Length: ").append(contentLen).append("\r\n");
        }
        if (lastModified >= 0) {
            sb.append("Last-Modified: ").append(HttpTime.format(lastModified)).append("\r\n");
        }
        if (chunkedTe) {
            sb.append("Transfer-Encoding: chunked\r\n");
        }
        sb.append("Connection: ").append(keepalive ? "keep-alive" : "close").append("\r\n");
        for (String h : extra) {
            sb.append(h).append("\r\n");
        }
        sb.append("\r\n");
        byte[] headBytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        Buffer out = Buffer.buffer(headBytes.length + (body == null ? 0 : body.length()));
        out.appendBytes(headBytes);
        if (body != null) {
            out.appendBuffer(body);
        }
        write(out);
    }

    /** ngx_http_gzip_ok with Debian's settings: gzip_http_version 1.1, gzip_proxied off. */
    private boolean gzipOk() {
        if (gzipOk >= 0) {
            return gzipOk == 1;
        }
        gzipOk = 0;
        int s = hv[2 * H_AE];
        int e = hv[2 * H_AE + 1];
        if (s < 0 || e - s < 4) {
            return false;
        }
        if (!(e - s >= 5 && in[s] == 'g' && in[s + 1] == 'z' && in[s + 2] == 'i' && in[s + 3] == 'p'
                && in[s + 4] == ',') && !HeaderValues.acceptEncodingGzip(in, s, e)) {
            return false;
        }
        if (ps.httpVersion < NginxParser.VERSION_11) {
            return false;
        }
        if (hv[2 * H_VIA] >= 0) {
            return false;
        }
        gzipOk = 1;
        return true;
    }

    // ------------------------------------------------------------------ after a response

    /**
     * ngx_http_finalize_connection: discard the rest of a body, keep alive, lingering close or close.
     * {@code afterDiscard}: called when a body discarded after the response has ended.
     */
    private void finalizeConnection(boolean afterDiscard) {
        if (phase == P_CLOSED || phase == P_CLOSING) {
            return;
        }
        if (!afterDiscard && discardPending) {
            phase = P_DISCARD;
            lingerDeadlineNanos = System.nanoTime() + site.lingeringTimeMs * 1_000_000L;
            cancel(lingerTimer);
            lingerTimer = loop.schedule(site.lingeringTimeoutMs, this::closeNow);
            if (stash != null) {
                Buffer s = stash;
                stash = null;
                feedDiscard(s.getBytes());
            }
            return;
        }
        if (keepalive) {
            setKeepalive(afterDiscard);
            return;
        }
        if (lingeringClose || rd < wr || stash != null || pipeline) {
            setLingeringClose();
            return;
        }
        phase = P_CLOSING;
        closeAfterWrite();
    }

    private void setKeepalive(boolean afterDiscard) {
        if (!afterDiscard && rd < Math.min(wr, bufEnd)) {
            // a pipelined request in the same header buffer
            pipeline = true;
            newRequest(true);
            phase = P_LINE;
            return;
        }
        phase = P_KEEPALIVE;
        cancel(keepaliveTimer);
        keepaliveTimer = loop.schedule(site.keepaliveTimeoutMs, this::onKeepaliveTimeout);
    }

    private void onKeepaliveTimeout() {
        keepaliveTimer = null;
        if (phase == P_KEEPALIVE) {
            closeNow();
        }
    }

    /** ngx_http_set_lingering_close: FIN after the response, read and drop, then close. */
    private void setLingeringClose() {
        phase = P_LINGER;
        rd = wr = 0;
        stash = null;
        lingerDeadlineNanos = System.nanoTime() + site.lingeringTimeMs * 1_000_000L;
        afterWrite(() -> {
            if (phase != P_CLOSED && !loop.shutdownOutput()) {
                closeNow();
            }
        });
        cancel(lingerTimer);
        lingerTimer = loop.schedule(site.lingeringTimeoutMs, this::closeNow);
        updateReading();
    }

    private void lingerRead() {
        if (phase != P_LINGER) {
            return;
        }
        long left = (lingerDeadlineNanos - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            closeNow();
            return;
        }
        cancel(lingerTimer);
        lingerTimer = loop.schedule(Math.min(left, site.lingeringTimeoutMs), this::closeNow);
    }

    // ------------------------------------------------------------------ output and closing

    private void write(Buffer b) {
        if (phase == P_CLOSED) {
            return;
        }
        lastWrite = so.write(b);
        if (so.writeQueueFull() && !writeBlocked) {
            writeBlocked = true;
            sendTimer = loop.schedule(site.sendTimeoutMs, this::closeNow);
        }
    }

    private void afterWrite(Runnable r) {
        Future<Void> w = lastWrite;
        if (w == null || w.isComplete()) {
            r.run();
        } else {
            w.onComplete(ar -> {
                try {
                    r.run();
                } catch (Throwable t) {
                    abort();
                }
            });
        }
    }

    private void closeAfterWrite() {
        afterWrite(this::closeNow);
    }

    private void closeNow() {
        if (phase == P_CLOSED) {
            return;
        }
        phase = P_CLOSED;
        cancelAllTimers();
        stash = null;
        so.close();
    }

    private void abort() {
        try {
            closeNow();
        } catch (Throwable ignored) {
            phase = P_CLOSED;
        }
    }

    private void cancelAllTimers() {
        cancel(headerTimer);
        cancel(keepaliveTimer);
        cancel(lingerTimer);
        cancel(sendTimer);
        headerTimer = keepaliveTimer = lingerTimer = sendTimer = null;
    }

    private void cancel(Object t) {
        if (t != null) {
            loop.cancel(t);
        }
    }

    // ------------------------------------------------------------------ small helpers

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
