package io.tt.server.fakesite;

/**
 * Ports of nginx's URI normalisation ({@code ngx_http_parse_complex_uri}) and host validation
 * ({@code ngx_http_validate_host}): what decides which file the site serves and when nginx answers 400.
 */
final class NginxUri {

    private NginxUri() {
    }

    // complex URI states
    private static final int U_USUAL = 0;
    private static final int U_SLASH = 1;
    private static final int U_DOT = 2;
    private static final int U_DOT_DOT = 3;
    private static final int U_QUOTED = 4;
    private static final int U_QUOTED_SECOND = 5;

    /**
     * Port of {@code ngx_http_parse_complex_uri} with {@code merge_slashes on} over the URI bytes
     * {@code [uriStart, uriEnd)} of {@code b}; null where nginx answers 400.
     */
    static byte[] normalise(byte[] b, int uriStart, int uriEnd, int uriLen, boolean emptyPathInUri) {
        if (emptyPathInUri) {
            uriLen++;
        }
        byte[] u = new byte[Math.max(uriLen, 1)];
        int ui = 0;
        int st = U_USUAL;
        int quotedState = U_USUAL;
        int decoded = 0;
        int p = uriStart;
        int end = uriEnd;

        if (emptyPathInUri) {
            u[ui++] = '/';
        }

        int ch = byteAt(b, p++);

        loop:
        while (p <= end) {
            switch (st) {
                case U_USUAL:
                    if (NginxParser.usual(ch)) {
                        u = put(u, ui++, ch);
                        ch = byteAt(b, p++);
                        break;
                    }
                    switch (ch) {
                        case '/':
                            st = U_SLASH;
                            u = put(u, ui++, ch);
                            break;
                        case '%':
                            quotedState = st;
                            st = U_QUOTED;
                            break;
                        case '?':
                        case '#':
                            break loop;
                        default:
                            u = put(u, ui++, ch);
                            break;
                    }
                    ch = byteAt(b, p++);
                    break;

                case U_SLASH:
                    if (NginxParser.usual(ch)) {
                        st = U_USUAL;
                        u = put(u, ui++, ch);
                        ch = byteAt(b, p++);
                        break;
                    }
                    switch (ch) {
                        case '/':
                            break; // merge_slashes on
                        case '.':
                            st = U_DOT;
                            u = put(u, ui++, ch);
                            break;
                        case '%':
                            quotedState = st;
                            st = U_QUOTED;
                            break;
                        case '?':
                        case '#':
                            break loop;
                        default:
                            st = U_USUAL;
                            u = put(u, ui++, ch);
                            break;
                    }
                    ch = byteAt(b, p++);
                    break;

                case U_DOT:
                    if (NginxParser.usual(ch)) {
                        st = U_USUAL;
                        u = put(u, ui++, ch);
                        ch = byteAt(b, p++);
                        break;
                    }
                    switch (ch) {
                        case '/':
                            st = U_SLASH;
                            ui--;
                            break;
                        case '.':
                            st = U_DOT_DOT;
                            u = put(u, ui++, ch);
                            break;
                        case '%':
                            quotedState = st;
                            st = U_QUOTED;
                            break;
                        case '?':
                        case '#':
                            ui--;
                            break loop;
                        default:
                            st = U_USUAL;
                            u = put(u, ui++, ch);
                            break;
                    }
                    ch = byteAt(b, p++);
                    break;

                case U_DOT_DOT:
                    if (NginxParser.usual(ch)) {
                        st = U_USUAL;
                        u = put(u, ui++, ch);
                        ch = byteAt(b, p++);
                        break;
                    }
                    switch (ch) {
                        case '/':
                        case '?':
                        case '#':
                            ui -= 4;
                            for (;;) {
                                if (ui < 0) {
                                    return null;
                                }
                                if (u[ui] == '/') {
                                    ui++;
                                    break;
                                }
                                ui--;
                            }
                            if (ch == '?' || ch == '#') {
                                st = U_USUAL;
                                break loop;
                            }
                            st = U_SLASH;
                            break;
                        case '%':
                            quotedState = st;
                            st = U_QUOTED;
                            break;
                        default:
                            st = U_USUAL;
                            u = put(u, ui++, ch);
                            break;
                    }
                    ch = byteAt(b, p++);
                    break;

                case U_QUOTED:
                    if (ch >= '0' && ch <= '9') {
                        decoded = ch - '0';
                        st = U_QUOTED_SECOND;
                        ch = byteAt(b, p++);
                        break;
                    }
                    {
                        int c = ch | 0x20;
                        if (c >= 'a' && c <= 'f') {
                            decoded = c - 'a' + 10;
                            st = U_QUOTED_SECOND;
                            ch = byteAt(b, p++);
                            break;
                        }
                    }
                    return null;

                case U_QUOTED_SECOND:
                    if (ch >= '0' && ch <= '9') {
                        ch = ((decoded << 4) + (ch - '0')) & 0xff;
                        if (ch == '%' || ch == '#') {
                            st = U_USUAL;
                            u = put(u, ui++, ch);
                            ch = byteAt(b, p++);
                            break;
                        } else if (ch == 0) {
                            return null;
                        }
                        st = quotedState;
                        break;
                    }
                    {
                        int c = ch | 0x20;
                        if (c >= 'a' && c <= 'f') {
                            ch = ((decoded << 4) + (c - 'a') + 10) & 0xff;
                            if (ch == '?') {
                                st = U_USUAL;
                                u = put(u, ui++, ch);
                                ch = byteAt(b, p++);
                                break;
                            }
                            st = quotedState;
                            break;
                        }
                    }
                    return null;

                default:
                    return null;
            }
        }

        if (p > end) {
            // the loop ran out of URI (not a '?' or '#' exit): nginx's tail checks
            if (st == U_QUOTED || st == U_QUOTED_SECOND) {
                return null;
            }
            if (st == U_DOT) {
                ui--;
            } else if (st == U_DOT_DOT) {
                ui -= 4;
                for (;;) {
                    if (ui < 0) {
                        return null;
                    }
                    if (u[ui] == '/') {
                        ui++;
                        break;
                    }
                    ui--;
                }
            }
        }
        if (ui < 0) {
            return null;
        }
        byte[] out = new byte[ui];
        System.arraycopy(u, 0, out, 0, ui);
        return out;
    }

    private static int byteAt(byte[] b, int i) {
        return i >= 0 && i < b.length ? b[i] & 0xff : 0;
    }

    private static byte[] put(byte[] u, int i, int ch) {
        if (i < 0) {
            // ".." bookkeeping never goes below 0 before a check; defensive only
            return u;
        }
        if (i >= u.length) {
            byte[] n = new byte[u.length * 2 + 1];
            System.arraycopy(u, 0, n, 0, u.length);
            u = n;
        }
        u[i] = (byte) ch;
        return u;
    }

    /**
     * Port of {@code ngx_http_validate_host} (alloc/lowercasing aside): false where nginx declines
     * the host ("client sent invalid host header" / "... in request line", answered with 400).
     */
    static boolean validHost(byte[] b, int start, int end) {
        final int usualState = 0;
        final int literal = 1;
        final int rest = 2;
        int st = usualState;
        int len = end - start;
        int dotPos = len;
        int hostLen = len;
        for (int i = 0; i < len; i++) {
            int ch = b[start + i] & 0xff;
            switch (ch) {
                case '.':
                    if (dotPos == i - 1) {
                        return false;
                    }
                    dotPos = i;
                    break;
                case ':':
                    if (st == usualState) {
                        hostLen = i;
                        st = rest;
                    }
                    break;
                case '[':
                    if (i == 0) {
                        st = literal;
                    }
                    break;
                case ']':
                    if (st == literal) {
                        hostLen = i + 1;
                        st = rest;
                    }
                    break;
                default:
                    if (ch == '/') {
                        return false;
                    }
                    if (ch <= 0x20 || ch == 0x7f) {
                        return false;
                    }
                    break;
            }
        }
        if (dotPos == hostLen - 1) {
            hostLen--;
        }
        return hostLen != 0;
    }
}
