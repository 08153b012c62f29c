package io.tt.server.fakesite;

/**
 * A line-by-line port of nginx 1.24.0's HTTP/1.x parsers (src/http/ngx_http_parse.c): the request
 * line and header lines ({@link NginxUri} has the "complex URI" normaliser and host validation,
 * {@link NginxChunked} the chunked body framing). They are incremental byte state machines like nginx's: each call
 * consumes bytes from {@code pos} to {@code last}, saves its state in this object and returns
 * {@link #AGAIN} when it needs more, so a request is refused at exactly the byte nginx refuses it.
 *
 * <p>Positions are indexes into the caller's array. Nothing here allocates or throws on hostile input:
 * every read is bounded by {@code last} (nginx relies on a following byte that is always present; the
 * callers keep that true, and the reads here are guarded anyway).
 */
final class NginxParser {

    // return codes
    static final int OK = 0;
    static final int AGAIN = -2;
    static final int HEADER_DONE = 1;
    static final int INVALID_METHOD = 10;
    static final int INVALID_REQUEST = 11;
    static final int INVALID_VERSION = 12;
    static final int INVALID_09_METHOD = 13;
    static final int INVALID_HEADER = 14;
    static final int CHUNK_DATA = 20;
    static final int CHUNKS_DONE = 21;
    static final int CHUNK_INVALID = 22;

    // methods (the subset of nginx's NGX_HTTP_* that matter here)
    static final int M_UNKNOWN = 0x00000001;
    static final int M_GET = 0x00000002;
    static final int M_HEAD = 0x00000004;
    static final int M_POST = 0x00000008;
    static final int M_PUT = 0x00000010;
    static final int M_DELETE = 0x00000020;
    static final int M_MKCOL = 0x00000040;
    static final int M_COPY = 0x00000080;
    static final int M_MOVE = 0x00000100;
    static final int M_OPTIONS = 0x00000200;
    static final int M_PROPFIND = 0x00000400;
    static final int M_PROPPATCH = 0x00000800;
    static final int M_LOCK = 0x00001000;
    static final int M_UNLOCK = 0x00002000;
    static final int M_PATCH = 0x00004000;
    static final int M_TRACE = 0x00008000;
    static final int M_CONNECT = 0x00010000;

    static final int VERSION_9 = 9;
    static final int VERSION_10 = 1000;
    static final int VERSION_11 = 1001;

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    /** nginx's "usual" URI characters bitmap (non-Win32). */
    private static final int[] USUAL = {
        0x00000000, 0x7fff37d6, 0xffffffff, 0x7fffffff,
        0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff
    };

    /** nginx's lowcase[] table for header names: letters, digits and '-' are valid, nothing else. */
    private static final boolean[] NAME_CHAR = new boolean[256];

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            NAME_CHAR[c] = true;
            NAME_CHAR[c - 32] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            NAME_CHAR[c] = true;
        }
        NAME_CHAR['-'] = true;
    }

    static boolean usual(int ch) {
        return (USUAL[ch >>> 5] & (1 << (ch & 0x1f))) != 0;
    }

    // ---- request line state (nginx's ngx_http_request_t fields) ----

    /** Current state of whichever machine is running; 0 means "at the start of a line". */
    int state;
    int method = M_UNKNOWN;
    int httpMajor;
    int httpMinor;
    int httpVersion = VERSION_10;
    int requestStart = -1;
    int methodEnd = -1;
    int uriStart = -1;
    int uriEnd = -1;
    int argsStart = -1;
    int schemaStart = -1;
    int schemaEnd = -1;
    int hostStart = -1;
    int hostEnd = -1;
    int portEnd = -1;
    boolean complexUri;
    boolean quotedUri;
    boolean emptyPathInUri;

    // ---- header line state ----
    int headerNameStart = -1;
    int headerNameEnd = -1;
    int headerStart = -1;
    int headerEnd = -1;
    boolean invalidHeader;

    /** Position after the last byte consumed by the last call (nginx's b->pos). */
    int pos;

    /** Resets the per-request fields, as a freshly allocated nginx request would have them. */
    void resetRequest() {
        state = 0;
        method = M_UNKNOWN;
        httpMajor = 0;
        httpMinor = 0;
        httpVersion = VERSION_10;
        requestStart = -1;
        methodEnd = -1;
        uriStart = -1;
        uriEnd = -1;
        argsStart = -1;
        schemaStart = -1;
        schemaEnd = -1;
        hostStart = -1;
        hostEnd = -1;
        portEnd = -1;
        complexUri = false;
        quotedUri = false;
        emptyPathInUri = false;
        headerNameStart = -1;
        headerNameEnd = -1;
        headerStart = -1;
        headerEnd = -1;
        invalidHeader = false;
    }

    /** Moves every saved position by {@code delta} (the caller compacted its buffer). */
    void shift(int delta) {
        requestStart = sh(requestStart, delta);
        methodEnd = sh(methodEnd, delta);
        uriStart = sh(uriStart, delta);
        uriEnd = sh(uriEnd, delta);
        argsStart = sh(argsStart, delta);
        schemaStart = sh(schemaStart, delta);
        schemaEnd = sh(schemaEnd, delta);
        hostStart = sh(hostStart, delta);
        hostEnd = sh(hostEnd, delta);
        portEnd = sh(portEnd, delta);
        headerNameStart = sh(headerNameStart, delta);
        headerNameEnd = sh(headerNameEnd, delta);
        headerStart = sh(headerStart, delta);
        headerEnd = sh(headerEnd, delta);
        pos = pos - delta;
    }

    private static int sh(int v, int delta) {
        return v < 0 ? v : v - delta;
    }

    // request line states
    private static final int SW_START = 0;
    private static final int SW_METHOD = 1;
    private static final int SW_SPACES_BEFORE_URI = 2;
    private static final int SW_SCHEMA = 3;
    private static final int SW_SCHEMA_SLASH = 4;
    private static final int SW_SCHEMA_SLASH_SLASH = 5;
    private static final int SW_HOST_START = 6;
    private static final int SW_HOST = 7;
    private static final int SW_HOST_END = 8;
    private static final int SW_HOST_IP_LITERAL = 9;
    private static final int SW_PORT = 10;
    private static final int SW_AFTER_SLASH_IN_URI = 11;
    private static final int SW_CHECK_URI = 12;
    private static final int SW_URI = 13;
    private static final int SW_HTTP_09 = 14;
    private static final int SW_HTTP_H = 15;
    private static final int SW_HTTP_HT = 16;
    private static final int SW_HTTP_HTT = 17;
    private static final int SW_HTTP_HTTP = 18;
    private static final int SW_FIRST_MAJOR_DIGIT = 19;
    private static final int SW_MAJOR_DIGIT = 20;
    private static final int SW_FIRST_MINOR_DIGIT = 21;
    private static final int SW_MINOR_DIGIT = 22;
    private static final int SW_SPACES_AFTER_DIGIT = 23;
    private static final int SW_ALMOST_DONE = 24;

    /** Port of {@code ngx_http_parse_request_line}. On error {@link #pos} is left where the call began. */
    int parseRequestLine(byte[] b, int from, int last) {
        int st = state;
        int p;
        for (p = from; p < last; p++) {
            int ch = b[p] & 0xff;
            int c;
            switch (st) {
                case SW_START:
                    requestStart = p;
                    if (ch == CR || ch == LF) {
                        break;
                    }
                    if ((ch < 'A' || ch > 'Z') && ch != '_' && ch != '-') {
                        return INVALID_METHOD;
                    }
                    st = SW_METHOD;
                    break;

                case SW_METHOD:
                    if (ch == ' ') {
                        methodEnd = p - 1;
                        method = methodOf(b, requestStart, p - requestStart);
                        st = SW_SPACES_BEFORE_URI;
                        break;
                    }
                    if ((ch < 'A' || ch > 'Z') && ch != '_' && ch != '-') {
                        return INVALID_METHOD;
                    }
                    break;

                case SW_SPACES_BEFORE_URI:
                    if (ch == '/') {
                        uriStart = p;
                        st = SW_AFTER_SLASH_IN_URI;
                        break;
                    }
                    c = ch | 0x20;
                    if (c >= 'a' && c <= 'z') {
                        schemaStart = p;
                        st = SW_SCHEMA;
                        break;
                    }
                    if (ch == ' ') {
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_SCHEMA:
                    c = ch | 0x20;
                    if (c >= 'a' && c <= 'z') {
                        break;
                    }
                    if ((ch >= '0' && ch <= '9') || ch == '+' || ch == '-' || ch == '.') {
                        break;
                    }
                    if (ch == ':') {
                        schemaEnd = p;
                        st = SW_SCHEMA_SLASH;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_SCHEMA_SLASH:
                    if (ch == '/') {
                        st = SW_SCHEMA_SLASH_SLASH;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_SCHEMA_SLASH_SLASH:
                    if (ch == '/') {
                        st = SW_HOST_START;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_HOST_START:
                case SW_HOST:
                case SW_HOST_END: {
                    if (st == SW_HOST_START) {
                        hostStart = p;
                        if (ch == '[') {
                            st = SW_HOST_IP_LITERAL;
                            break;
                        }
                        st = SW_HOST;
                    }
                    if (st == SW_HOST) {
                        c = ch | 0x20;
                        if (c >= 'a' && c <= 'z') {
                            break;
                        }
                        if ((ch >= '0' && ch <= '9') || ch == '.' || ch == '-') {
                            break;
                        }
                    }
                    // sw_host_end
                    hostEnd = p;
                    switch (ch) {
                        case ':':
                            st = SW_PORT;
                            break;
                        case '/':
                            uriStart = p;
                            st = SW_AFTER_SLASH_IN_URI;
                            break;
                        case '?':
                            uriStart = p;
                            argsStart = p + 1;
                            emptyPathInUri = true;
                            st = SW_URI;
                            break;
                        case ' ':
                            // a single "/" from the request line: "http://" -> the 2nd slash
                            uriStart = schemaEnd + 1;
                            uriEnd = schemaEnd + 2;
                            st = SW_HTTP_09;
                            break;
                        default:
                            return INVALID_REQUEST;
                    }
                    break;
                }

                case SW_HOST_IP_LITERAL:
                    if (ch >= '0' && ch <= '9') {
                        break;
                    }
                    c = ch | 0x20;
                    if (c >= 'a' && c <= 'z') {
                        break;
                    }
                    switch (ch) {
                        case ':':
                            break;
                        case ']':
                            st = SW_HOST_END;
                            break;
                        case '-': case '.': case '_': case '~':
                        case '!': case '$': case '&': case '\'': case '(': case ')':
                        case '*': case '+': case ',': case ';': case '=':
                            break;
                        default:
                            return INVALID_REQUEST;
                    }
                    break;

                case SW_PORT:
                    if (ch >= '0' && ch <= '9') {
                        break;
                    }
                    switch (ch) {
                        case '/':
                            portEnd = p;
                            uriStart = p;
                            st = SW_AFTER_SLASH_IN_URI;
                            break;
                        case '?':
                            portEnd = p;
                            uriStart = p;
                            argsStart = p + 1;
                            emptyPathInUri = true;
                            st = SW_URI;
                            break;
                        case ' ':
                            portEnd = p;
                            uriStart = schemaEnd + 1;
                            uriEnd = schemaEnd + 2;
                            st = SW_HTTP_09;
                            break;
                        default:
                            return INVALID_REQUEST;
                    }
                    break;

                case SW_AFTER_SLASH_IN_URI:
                    if (usual(ch)) {
                        st = SW_CHECK_URI;
                        break;
                    }
                    switch (ch) {
                        case ' ':
                            uriEnd = p;
                            st = SW_HTTP_09;
                            break;
                        case CR:
                            uriEnd = p;
                            httpMinor = 9;
                            st = SW_ALMOST_DONE;
                            break;
                        case LF:
                            uriEnd = p;
                            httpMinor = 9;
                            return done(p);
                        case '.':
                            complexUri = true;
                            st = SW_URI;
                            break;
                        case '%':
                            quotedUri = true;
                            st = SW_URI;
                            break;
                        case '/':
                            complexUri = true;
                            st = SW_URI;
                            break;
                        case '?':
                            argsStart = p + 1;
                            st = SW_URI;
                            break;
                        case '#':
                            complexUri = true;
                            st = SW_URI;
                            break;
                        case '+':
                            break;
                        default:
                            if (ch < 0x20 || ch == 0x7f) {
                                return INVALID_REQUEST;
                            }
                            st = SW_CHECK_URI;
                            break;
                    }
                    break;

                case SW_CHECK_URI:
                    if (usual(ch)) {
                        break;
                    }
                    switch (ch) {
                        case '/':
                            st = SW_AFTER_SLASH_IN_URI;
                            break;
                        case '.':
                            break;
                        case ' ':
                            uriEnd = p;
                            st = SW_HTTP_09;
                            break;
                        case CR:
                            uriEnd = p;
                            httpMinor = 9;
                            st = SW_ALMOST_DONE;
                            break;
                        case LF:
                            uriEnd = p;
                            httpMinor = 9;
                            return done(p);
                        case '%':
                            quotedUri = true;
                            st = SW_URI;
                            break;
                        case '?':
                            argsStart = p + 1;
                            st = SW_URI;
                            break;
                        case '#':
                            complexUri = true;
                            st = SW_URI;
                            break;
                        case '+':
                            break;
                        default:
                            if (ch < 0x20 || ch == 0x7f) {
                                return INVALID_REQUEST;
                            }
                            break;
                    }
                    break;

                case SW_URI:
                    if (usual(ch)) {
                        break;
                    }
                    switch (ch) {
                        case ' ':
                            uriEnd = p;
                            st = SW_HTTP_09;
                            break;
                        case CR:
                            uriEnd = p;
                            httpMinor = 9;
                            st = SW_ALMOST_DONE;
                            break;
                        case LF:
                            uriEnd = p;
                            httpMinor = 9;
                            return done(p);
                        case '#':
                            complexUri = true;
                            break;
                        default:
                            if (ch < 0x20 || ch == 0x7f) {
                                return INVALID_REQUEST;
                            }
                            break;
                    }
                    break;

                case SW_HTTP_09:
                    switch (ch) {
                        case ' ':
                            break;
                        case CR:
                            httpMinor = 9;
                            st = SW_ALMOST_DONE;
                            break;
                        case LF:
                            httpMinor = 9;
                            return done(p);
                        case 'H':
                            st = SW_HTTP_H;
                            break;
                        default:
                            return INVALID_REQUEST;
                    }
                    break;

                case SW_HTTP_H:
                    if (ch == 'T') {
                        st = SW_HTTP_HT;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_HTTP_HT:
                    if (ch == 'T') {
                        st = SW_HTTP_HTT;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_HTTP_HTT:
                    if (ch == 'P') {
                        st = SW_HTTP_HTTP;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_HTTP_HTTP:
                    if (ch == '/') {
                        st = SW_FIRST_MAJOR_DIGIT;
                        break;
                    }
                    return INVALID_REQUEST;

                case SW_FIRST_MAJOR_DIGIT:
                    if (ch < '1' || ch > '9') {
                        return INVALID_REQUEST;
                    }
                    httpMajor = ch - '0';
                    if (httpMajor > 1) {
                        return INVALID_VERSION;
                    }
                    st = SW_MAJOR_DIGIT;
                    break;

                case SW_MAJOR_DIGIT:
                    if (ch == '.') {
                        st = SW_FIRST_MINOR_DIGIT;
                        break;
                    }
                    if (ch < '0' || ch > '9') {
                        return INVALID_REQUEST;
                    }
                    httpMajor = httpMajor * 10 + (ch - '0');
                    if (httpMajor > 1) {
                        return INVALID_VERSION;
                    }
                    break;

                case SW_FIRST_MINOR_DIGIT:
                    if (ch < '0' || ch > '9') {
                        return INVALID_REQUEST;
                    }
                    httpMinor = ch - '0';
                    st = SW_MINOR_DIGIT;
                    break;

                case SW_MINOR_DIGIT:
                    if (ch == CR) {
                        st = SW_ALMOST_DONE;
                        break;
                    }
                    if (ch == LF) {
                        return done(p);
                    }
                    if (ch == ' ') {
                        st = SW_SPACES_AFTER_DIGIT;
                        break;
                    }
                    if (ch < '0' || ch > '9') {
                        return INVALID_REQUEST;
                    }
                    if (httpMinor > 99) {
                        return INVALID_REQUEST;
                    }
                    httpMinor = httpMinor * 10 + (ch - '0');
                    break;

                case SW_SPACES_AFTER_DIGIT:
                    switch (ch) {
                        case ' ':
                            break;
                        case CR:
                            st = SW_ALMOST_DONE;
                            break;
                        case LF:
                            return done(p);
                        default:
                            return INVALID_REQUEST;
                    }
                    break;

                case SW_ALMOST_DONE:
                    if (ch == LF) {
                        return done(p);
                    }
                    return INVALID_REQUEST;

                default:
                    return INVALID_REQUEST;
            }
        }
        pos = p;
        state = st;
        return AGAIN;
    }

    private int done(int p) {
        pos = p + 1;
        httpVersion = httpMajor * 1000 + httpMinor;
        state = SW_START;
        if (httpVersion == VERSION_9 && method != M_GET) {
            return INVALID_09_METHOD;
        }
        return OK;
    }

    private static int methodOf(byte[] b, int m, int len) {
        switch (len) {
            case 3:
                if (eq(b, m, "GET")) {
                    return M_GET;
                }
                if (eq(b, m, "PUT")) {
                    return M_PUT;
                }
                return M_UNKNOWN;
            case 4:
                if (eq(b, m, "POST")) {
                    return M_POST;
                }
                if (eq(b, m, "COPY")) {
                    return M_COPY;
                }
                if (eq(b, m, "MOVE")) {
                    return M_MOVE;
                }
                if (eq(b, m, "LOCK")) {
                    return M_LOCK;
                }
                if (eq(b, m, "HEAD")) {
                    return M_HEAD;
                }
                return M_UNKNOWN;
            case 5:
                if (eq(b, m, "MKCOL")) {
                    return M_MKCOL;
                }
                if (eq(b, m, "PATCH")) {
                    return M_PATCH;
                }
                if (eq(b, m, "TRACE")) {
                    return M_TRACE;
                }
                return M_UNKNOWN;
            case 6:
                if (eq(b, m, "DELETE")) {
                    return M_DELETE;
                }
                if (eq(b, m, "UNLOCK")) {
                    return M_UNLOCK;
                }
                return M_UNKNOWN;
            case 7:
                if (eq(b, m, "OPTIONS")) {
                    return M_OPTIONS;
                }
                if (eq(b, m, "CONNECT")) {
                    return M_CONNECT;
                }
                return M_UNKNOWN;
            case 8:
                return eq(b, m, "PROPFIND") ? M_PROPFIND : M_UNKNOWN;
            case 9:
                return eq(b, m, "PROPPATCH") ? M_PROPPATCH : M_UNKNOWN;
            default:
                return M_UNKNOWN;
        }
    }

    private static boolean eq(byte[] b, int off, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    // header line states
    private static final int H_START = 0;
    private static final int H_NAME = 1;
    private static final int H_SPACE_BEFORE_VALUE = 2;
    private static final int H_VALUE = 3;
    private static final int H_SPACE_AFTER_VALUE = 4;
    private static final int H_ALMOST_DONE = 5;
    private static final int H_HEADER_ALMOST_DONE = 6;

    /**
     * Port of {@code ngx_http_parse_header_line} with {@code underscores_in_headers off}: returns
     * {@link #OK} for one header line (check {@link #invalidHeader}: nginx ignores such lines),
     * {@link #HEADER_DONE} at the empty line, {@link #INVALID_HEADER}, or {@link #AGAIN}.
     */
    int parseHeaderLine(byte[] b, int from, int last) {
        int st = state;
        int p;
        for (p = from; p < last; p++) {
            int ch = b[p] & 0xff;
            switch (st) {
                case H_START:
                    headerNameStart = p;
                    invalidHeader = false;
                    switch (ch) {
                        case CR:
                            headerEnd = p;
                            st = H_HEADER_ALMOST_DONE;
                            break;
                        case LF:
                            headerEnd = p;
                            pos = p + 1;
                            state = H_START;
                            return HEADER_DONE;
                        default:
                            st = H_NAME;
                            if (NAME_CHAR[ch]) {
                                break;
                            }
                            if (ch == '_') {
                                invalidHeader = true;
                                break;
                            }
                            if (ch <= 0x20 || ch == 0x7f || ch == ':') {
                                headerEnd = p;
                                return INVALID_HEADER;
                            }
                            invalidHeader = true;
                            break;
                    }
                    break;

                case H_NAME:
                    if (NAME_CHAR[ch]) {
                        break;
                    }
                    if (ch == '_') {
                        invalidHeader = true;
                        break;
                    }
                    if (ch == ':') {
                        headerNameEnd = p;
                        st = H_SPACE_BEFORE_VALUE;
                        break;
                    }
                    if (ch == CR) {
                        headerNameEnd = p;
                        headerStart = p;
                        headerEnd = p;
                        st = H_ALMOST_DONE;
                        break;
                    }
                    if (ch == LF) {
                        headerNameEnd = p;
                        headerStart = p;
                        headerEnd = p;
                        return lineDone(p);
                    }
                    if (ch <= 0x20 || ch == 0x7f) {
                        headerEnd = p;
                        return INVALID_HEADER;
                    }
                    invalidHeader = true;
                    break;

                case H_SPACE_BEFORE_VALUE:
                    switch (ch) {
                        case ' ':
                            break;
                        case CR:
                            headerStart = p;
                            headerEnd = p;
                            st = H_ALMOST_DONE;
                            break;
                        case LF:
                            headerStart = p;
                            headerEnd = p;
                            return lineDone(p);
                        case 0:
                            headerEnd = p;
                            return INVALID_HEADER;
                        default:
                            headerStart = p;
                            st = H_VALUE;
                            break;
                    }
                    break;

                case H_VALUE:
                    switch (ch) {
                        case ' ':
                            headerEnd = p;
                            st = H_SPACE_AFTER_VALUE;
                            break;
                        case CR:
                            headerEnd = p;
                            st = H_ALMOST_DONE;
                            break;
                        case LF:
                            headerEnd = p;
                            return lineDone(p);
                        case 0:
                            headerEnd = p;
                            return INVALID_HEADER;
                        default:
                            break;
                    }
                    break;

                case H_SPACE_AFTER_VALUE:
                    switch (ch) {
                        case ' ':
                            break;
                        case CR:
                            st = H_ALMOST_DONE;
                            break;
                        case LF:
                            return lineDone(p);
                        case 0:
                            headerEnd = p;
                            return INVALID_HEADER;
                        default:
                            st = H_VALUE;
                            break;
                    }
                    break;

                case H_ALMOST_DONE:
                    switch (ch) {
                        case LF:
                            return lineDone(p);
                        case CR:
                            break;
                        default:
                            return INVALID_HEADER;
                    }
                    break;

                case H_HEADER_ALMOST_DONE:
                    if (ch == LF) {
                        pos = p + 1;
                        state = H_START;
                        return HEADER_DONE;
                    }
                    return INVALID_HEADER;

                default:
                    return INVALID_HEADER;
            }
        }
        pos = p;
        state = st;
        return AGAIN;
    }

    private int lineDone(int p) {
        pos = p + 1;
        state = H_START;
        return OK;
    }

    /**
     * Returns the request's normalised path (nginx's r->uri): the raw path when the request line
     * had nothing complex in it, otherwise the port of {@code ngx_http_parse_complex_uri} with
     * {@code merge_slashes on}. Returns null where nginx answers 400 ("client sent invalid request").
     * The result is at most the raw URI's length plus one byte; the caller bounds that (8 KiB).
     */
    byte[] normalisedUri(byte[] b) {
        int uriLen = (argsStart >= 0 ? argsStart - 1 : uriEnd) - uriStart;
        if (!(complexUri || quotedUri || emptyPathInUri)) {
            byte[] u = new byte[uriLen];
            System.arraycopy(b, uriStart, u, 0, uriLen);
            return u;
        }
        return NginxUri.normalise(b, uriStart, uriEnd, uriLen, emptyPathInUri);
    }
}
