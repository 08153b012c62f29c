package io.tt.server.fakesite;

import java.util.List;

/**
 * Ports of nginx's parsers of request header values (Accept-Encoding, If-Match, Range, numbers), working on the
 * connection's input bytes between two offsets, as nginx works on its buffer: no copy, no String per header.
 */
final class HeaderValues {

    private HeaderValues() {
    }

    /** Port of ngx_http_gzip_accept_encoding and ngx_http_gzip_quantity. */
    static boolean acceptEncodingGzip(byte[] in, int start, int last) {
        int p;
        for (;;) {
            p = indexOfIgnoreCase(in, start, last, "gzip");
            if (p < 0) {
                return false;
            }
            if (p == start || in[p - 1] == ',' || in[p - 1] == ' ') {
                break;
            }
            start = p + 4;
        }
        p += 4;
        while (p < last) {
            switch (in[p++]) {
                case ',':
                    return true;
                case ';':
                    return quantity(in, p, last);
                case ' ':
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    private static boolean quantity(byte[] in, int p, int last) {
        while (p < last) {
            switch (in[p++]) {
                case 'q':
                case 'Q':
                    if (p + 2 > last || in[p++] != '=') {
                        return false;
                    }
                    return qvalue(in, p, last) != 0;
                case ' ':
                    continue;
                default:
                    return false;
            }
        }
        return true;
    }

    private static int qvalue(byte[] in, int p, int last) {
        int c = in[p++];
        if (c != '0' && c != '1') {
            return 0;
        }
        int q = (c - '0') * 100;
        if (p == last) {
            return q;
        }
        c = in[p++];
        if (c == ',' || c == ' ') {
            return q;
        }
        if (c != '.') {
            return 0;
        }
        int n = 0;
        while (p < last) {
            c = in[p++];
            if (c == ',' || c == ' ') {
                break;
            }
            if (c >= '0' && c <= '9') {
                q += c - '0';
                n++;
                continue;
            }
            return 0;
        }
        if (q > 100 || n > 3) {
            return 0;
        }
        return q;
    }


    /** Port of ngx_http_test_if_match on the header's value. */
    static boolean ifMatch(byte[] in, int start, int end, String etag, boolean weak) {
        if (end - start == 1 && in[start] == '*') {
            return true;
        }
        String tag = etag;
        if (weak && tag.length() > 2 && tag.charAt(0) == 'W' && tag.charAt(1) == '/') {
            tag = tag.substring(2);
        }
        while (start < end) {
            if (weak && end - start > 2 && in[start] == 'W' && in[start + 1] == '/') {
                start += 2;
            }
            if (tag.length() > end - start) {
                return false;
            }
            if (equalsAscii(in, start, start + tag.length(), tag)) {
                start += tag.length();
                while (start < end && (in[start] == ' ' || in[start] == '\t')) {
                    start++;
                }
                if (start == end || in[start] == ',') {
                    return true;
                }
            }
            while (start < end && in[start] != ',') {
                start++;
            }
            while (start < end && (in[start] == ' ' || in[start] == '\t' || in[start] == ',')) {
                start++;
            }
        }
        return false;
    }


    static final int RANGE_OK = 0;
    static final int RANGE_NOT_SATISFIABLE = 1;
    static final int RANGE_DECLINED = 2;

    /** Port of ngx_http_range_parse (max_ranges unlimited). */
    static int parseRanges(byte[] in, int p, int end, long contentLen, List<long[]> out) {
        long size = 0;
        long cutoff = Long.MAX_VALUE / 10;
        long cutlim = Long.MAX_VALUE % 10;
        for (;;) {
            long start = 0;
            long stop = 0;
            boolean suffix = false;
            while (at(in, p, end) == ' ') {
                p++;
            }
            if (at(in, p, end) != '-') {
                if (!digit(at(in, p, end))) {
                    return RANGE_NOT_SATISFIABLE;
                }
                while (digit(at(in, p, end))) {
                    int d = at(in, p, end) - '0';
                    if (start >= cutoff && (start > cutoff || d > cutlim)) {
                        return RANGE_NOT_SATISFIABLE;
                    }
                    start = start * 10 + d;
                    p++;
                }
                while (at(in, p, end) == ' ') {
                    p++;
                }
                if (at(in, p++, end) != '-') {
                    return RANGE_NOT_SATISFIABLE;
                }
                while (at(in, p, end) == ' ') {
                    p++;
                }
                if (at(in, p, end) == ',' || at(in, p, end) == 0) {
                    stop = contentLen;
                } else {
                    stop = -1; // parse the end below
                }
            } else {
                suffix = true;
                p++;
                stop = -1;
            }
            if (stop == -1) {
                stop = 0;
                if (!digit(at(in, p, end))) {
                    return RANGE_NOT_SATISFIABLE;
                }
                while (digit(at(in, p, end))) {
                    int d = at(in, p, end) - '0';
                    if (stop >= cutoff && (stop > cutoff || d > cutlim)) {
                        return RANGE_NOT_SATISFIABLE;
                    }
                    stop = stop * 10 + d;
                    p++;
                }
                while (at(in, p, end) == ' ') {
                    p++;
                }
                if (at(in, p, end) != ',' && at(in, p, end) != 0) {
                    return RANGE_NOT_SATISFIABLE;
                }
                if (suffix) {
                    start = (stop < contentLen) ? contentLen - stop : 0;
                    stop = contentLen - 1;
                }
                if (stop >= contentLen) {
                    stop = contentLen;
                } else {
                    stop++;
                }
            }
            // found:
            if (start < stop) {
                out.add(new long[] {start, stop});
                if (size > Long.MAX_VALUE - (stop - start)) {
                    return RANGE_NOT_SATISFIABLE;
                }
                size += stop - start;
            } else if (start == 0) {
                return RANGE_DECLINED;
            }
            if (at(in, p++, end) != ',') {
                break;
            }
        }
        if (out.isEmpty()) {
            return RANGE_NOT_SATISFIABLE;
        }
        if (size > contentLen) {
            return RANGE_DECLINED;
        }
        return RANGE_OK;
    }


    /** ngx_atoof: digits only, no sign, no overflow; -1 when invalid. */
    static long atoof(byte[] in, int s, int e) {
        if (e <= s) {
            return -1;
        }
        long cutoff = Long.MAX_VALUE / 10;
        long cutlim = Long.MAX_VALUE % 10;
        long v = 0;
        for (int i = s; i < e; i++) {
            int c = in[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v >= cutoff && (v > cutoff || c - '0' > cutlim)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static int at(byte[] in, int i, int end) {
        return i >= 0 && i < end ? in[i] & 0xff : 0;
    }

    static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    static int indexOf(byte[] in, int s, int e, String needle) {
        int n = needle.length();
        outer:
        for (int i = s; i + n <= e; i++) {
            for (int j = 0; j < n; j++) {
                if (in[i + j] != needle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int indexOfIgnoreCase(byte[] in, int s, int e, String lowerNeedle) {
        int n = lowerNeedle.length();
        outer:
        for (int i = s; i + n <= e; i++) {
            for (int j = 0; j < n; j++) {
                int c = in[i + j] & 0xff;
                if (c >= 'A' && c <= 'Z') {
                    c += 32;
                }
                if (c != lowerNeedle.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean equalsAscii(byte[] in, int s, int e, String v) {
        if (e - s != v.length()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            if (in[s + i] != v.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
