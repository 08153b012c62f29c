package io.tt.server.fakesite;

/** Chunked-body discarder: a port of {@code ngx_http_parse_chunked} plus nginx's discard loop. */
final class NginxChunked {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    // states
    private static final int C_CHUNK_START = 0;
    private static final int C_CHUNK_SIZE = 1;
    private static final int C_CHUNK_EXTENSION = 2;
    private static final int C_CHUNK_EXTENSION_ALMOST_DONE = 3;
    private static final int C_CHUNK_DATA = 4;
    private static final int C_AFTER_DATA = 5;
    private static final int C_AFTER_DATA_ALMOST_DONE = 6;
    private static final int C_LAST_CHUNK_EXTENSION = 7;
    private static final int C_LAST_CHUNK_EXTENSION_ALMOST_DONE = 8;
    private static final int C_TRAILER = 9;
    private static final int C_TRAILER_ALMOST_DONE = 10;
    private static final int C_TRAILER_HEADER = 11;
    private static final int C_TRAILER_HEADER_ALMOST_DONE = 12;

    int state;
    long size;
    /** The final chunk and trailer have been read. */
    boolean done;

    /**
     * Consumes chunked framing and data from {@code b[from..last)}; returns the position after
     * what was consumed, or -1 when the framing is invalid. {@link #done} tells whether the final
     * chunk and trailer have been read.
     */
    int discard(byte[] b, int from, int last) {
        int p = from;
        while (p < last && !done) {
            if (state == C_CHUNK_DATA) {
                if (size == 0) {
                    state = C_AFTER_DATA;
                    continue;
                }
                long n = Math.min(size, last - p);
                p += (int) n;
                size -= n;
                continue;
            }
            int ch = b[p] & 0xff;
            int c;
            switch (state) {
                case C_CHUNK_START:
                    if (ch >= '0' && ch <= '9') {
                        state = C_CHUNK_SIZE;
                        size = ch - '0';
                        break;
                    }
                    c = ch | 0x20;
                    if (c >= 'a' && c <= 'f') {
                        state = C_CHUNK_SIZE;
                        size = c - 'a' + 10;
                        break;
                    }
                    return -1;
                case C_CHUNK_SIZE:
                    if (size > Long.MAX_VALUE / 16) {
                        return -1;
                    }
                    if (ch >= '0' && ch <= '9') {
                        size = size * 16 + (ch - '0');
                        break;
                    }
                    c = ch | 0x20;
                    if (c >= 'a' && c <= 'f') {
                        size = size * 16 + (c - 'a' + 10);
                        break;
                    }
                    if (size == 0) {
                        switch (ch) {
                            case CR:
                                state = C_LAST_CHUNK_EXTENSION_ALMOST_DONE;
                                break;
                            case LF:
                                state = C_TRAILER;
                                break;
                            case ';': case ' ': case '\t':
                                state = C_LAST_CHUNK_EXTENSION;
                                break;
                            default:
                                return -1;
                        }
                        break;
                    }
                    switch (ch) {
                        case CR:
                            state = C_CHUNK_EXTENSION_ALMOST_DONE;
                            break;
                        case LF:
                            state = C_CHUNK_DATA;
                            break;
                        case ';': case ' ': case '\t':
                            state = C_CHUNK_EXTENSION;
                            break;
                        default:
                            return -1;
                    }
                    break;
                case C_CHUNK_EXTENSION:
                    if (ch == CR) {
                        state = C_CHUNK_EXTENSION_ALMOST_DONE;
                    } else if (ch == LF) {
                        state = C_CHUNK_DATA;
                    }
                    break;
                case C_CHUNK_EXTENSION_ALMOST_DONE:
                    if (ch == LF) {
                        state = C_CHUNK_DATA;
                        break;
                    }
                    return -1;
                case C_AFTER_DATA:
                    if (ch == CR) {
                        state = C_AFTER_DATA_ALMOST_DONE;
                    } else if (ch == LF) {
                        state = C_CHUNK_START;
                    } else {
                        return -1;
                    }
                    break;
                case C_AFTER_DATA_ALMOST_DONE:
                    if (ch == LF) {
                        state = C_CHUNK_START;
                        break;
                    }
                    return -1;
                case C_LAST_CHUNK_EXTENSION:
                    if (ch == CR) {
                        state = C_LAST_CHUNK_EXTENSION_ALMOST_DONE;
                    } else if (ch == LF) {
                        state = C_TRAILER;
                    }
                    break;
                case C_LAST_CHUNK_EXTENSION_ALMOST_DONE:
                    if (ch == LF) {
                        state = C_TRAILER;
                        break;
                    }
                    return -1;
                case C_TRAILER:
                    if (ch == CR) {
                        state = C_TRAILER_ALMOST_DONE;
                    } else if (ch == LF) {
                        done = true;
                    } else {
                        state = C_TRAILER_HEADER;
                    }
                    break;
                case C_TRAILER_ALMOST_DONE:
                    if (ch == LF) {
                        done = true;
                        break;
                    }
                    return -1;
                case C_TRAILER_HEADER:
                    if (ch == CR) {
                        state = C_TRAILER_HEADER_ALMOST_DONE;
                    } else if (ch == LF) {
                        state = C_TRAILER;
                    }
                    break;
                case C_TRAILER_HEADER_ALMOST_DONE:
                    if (ch == LF) {
                        state = C_TRAILER;
                        break;
                    }
                    return -1;
                default:
                    return -1;
            }
            p++;
        }
        return p;
    }
}
