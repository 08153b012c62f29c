package io.tt.server.fakesite;

import java.nio.charset.StandardCharsets;

/**
 * HTTP dates the way nginx writes and reads them.
 *
 * <p>{@link #format} is nginx's {@code ngx_http_time()} ("Sun, 06 Nov 1994 08:49:37 GMT", always 29
 * ASCII bytes). {@link #parse} is a port of {@code ngx_parse_http_time()} (src/core/ngx_parse_time.c,
 * nginx 1.24.0): RFC 822/1123, RFC 850 and asctime forms, with the same leniency and the same
 * refusals, so conditional requests (If-Modified-Since, If-Range, If-Unmodified-Since) match or miss
 * exactly where nginx's would.
 */
final class HttpTime {

    static final int LENGTH = 29;

    private static final String[] WEEK = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    private static final int[] MDAY = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    /** Returned by {@link #parse} for anything nginx refuses (nginx's NGX_ERROR). */
    static final long INVALID = Long.MIN_VALUE;

    private HttpTime() {
    }

    /** Formats Unix seconds as nginx's {@code ngx_http_time}: "Mon, 28 Sep 1970 06:00:00 GMT". */
    static String format(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86400L);
        long secs = Math.floorMod(epochSeconds, 86400L);
        // civil-from-days (proleptic Gregorian), as in ngx_gmtime
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int d = (int) (doy - (153 * mp + 2) / 5 + 1);
        int m = (int) (mp < 10 ? mp + 3 : mp - 9);
        if (m <= 2) {
            y++;
        }
        int wday = (int) Math.floorMod(days, 7L);
        StringBuilder sb = new StringBuilder(LENGTH);
        sb.append(WEEK[wday]).append(", ");
        two(sb, d);
        sb.append(' ').append(MONTHS[m - 1]).append(' ');
        sb.append(y);
        sb.append(' ');
        two(sb, (int) (secs / 3600));
        sb.append(':');
        two(sb, (int) (secs / 60 % 60));
        sb.append(':');
        two(sb, (int) (secs % 60));
        sb.append(" GMT");
        return sb.toString();
    }

    static byte[] formatBytes(long epochSeconds) {
        return format(epochSeconds).getBytes(StandardCharsets.US_ASCII);
    }

    private static void two(StringBuilder sb, int v) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** {@link #parse(byte[], int, int)} on a Java string's ISO-8859-1 bytes. */
    static long parse(String value) {
        byte[] b = value.getBytes(StandardCharsets.ISO_8859_1);
        return parse(b, 0, b.length);
    }

    /**
     * Port of {@code ngx_parse_http_time}. nginx reads a NUL-terminated string and may look a few bytes
     * past a short value (it finds the NUL there); here any read past {@code end} yields 0, which fails
     * every check the same way the NUL does.
     */
    static long parse(byte[] b, int start, int end) {
        final int rfc822 = 1;
        final int rfc850 = 2;
        final int isoc = 3;
        int fmt = 0;
        int p;
        int day = 32;
        int year = 2038;
        int month;

        for (p = start; p < end; p++) {
            if (b[p] == ',') {
                break;
            }
            if (b[p] == ' ') {
                fmt = isoc;
                break;
            }
        }

        for (p++; p < end; p++) {
            if (b[p] != ' ') {
                break;
            }
        }

        if (end - p < 18) {
            return INVALID;
        }

        if (fmt != isoc) {
            if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))) {
                return INVALID;
            }
            day = (at(b, p, end) - '0') * 10 + (at(b, p + 1, end) - '0');
            p += 2;
            if (at(b, p, end) == ' ') {
                if (end - p < 18) {
                    return INVALID;
                }
                fmt = rfc822;
            } else if (at(b, p, end) == '-') {
                fmt = rfc850;
            } else {
                return INVALID;
            }
            p++;
        }

        switch (at(b, p, end)) {
            case 'J':
                month = at(b, p + 1, end) == 'a' ? 0 : at(b, p + 2, end) == 'n' ? 5 : 6;
                break;
            case 'F':
                month = 1;
                break;
            case 'M':
                month = at(b, p + 2, end) == 'r' ? 2 : 4;
                break;
            case 'A':
                month = at(b, p + 1, end) == 'p' ? 3 : 7;
                break;
            case 'S':
                month = 8;
                break;
            case 'O':
                month = 9;
                break;
            case 'N':
                month = 10;
                break;
            case 'D':
                month = 11;
                break;
            default:
                return INVALID;
        }

        p += 3;

        if ((fmt == rfc822 && at(b, p, end) != ' ') || (fmt == rfc850 && at(b, p, end) != '-')) {
            return INVALID;
        }

        p++;

        if (fmt == rfc822) {
            if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))
                    || !digit(at(b, p + 2, end)) || !digit(at(b, p + 3, end))) {
                return INVALID;
            }
            year = (at(b, p, end) - '0') * 1000 + (at(b, p + 1, end) - '0') * 100
                    + (at(b, p + 2, end) - '0') * 10 + (at(b, p + 3, end) - '0');
            p += 4;
        } else if (fmt == rfc850) {
            if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))) {
                return INVALID;
            }
            year = (at(b, p, end) - '0') * 10 + (at(b, p + 1, end) - '0');
            year += (year < 70) ? 2000 : 1900;
            p += 2;
        }

        if (fmt == isoc) {
            if (at(b, p, end) == ' ') {
                p++;
            }
            if (!digit(at(b, p, end))) {
                return INVALID;
            }
            day = at(b, p++, end) - '0';
            if (at(b, p, end) != ' ') {
                if (!digit(at(b, p, end))) {
                    return INVALID;
                }
                day = day * 10 + (at(b, p++, end) - '0');
            }
            if (end - p < 14) {
                return INVALID;
            }
        }

        if (at(b, p++, end) != ' ') {
            return INVALID;
        }
        if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))) {
            return INVALID;
        }
        int hour = (at(b, p, end) - '0') * 10 + (at(b, p + 1, end) - '0');
        p += 2;
        if (at(b, p++, end) != ':') {
            return INVALID;
        }
        if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))) {
            return INVALID;
        }
        int min = (at(b, p, end) - '0') * 10 + (at(b, p + 1, end) - '0');
        p += 2;
        if (at(b, p++, end) != ':') {
            return INVALID;
        }
        if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))) {
            return INVALID;
        }
        int sec = (at(b, p, end) - '0') * 10 + (at(b, p + 1, end) - '0');

        if (fmt == isoc) {
            p += 2;
            if (at(b, p++, end) != ' ') {
                return INVALID;
            }
            if (!digit(at(b, p, end)) || !digit(at(b, p + 1, end))
                    || !digit(at(b, p + 2, end)) || !digit(at(b, p + 3, end))) {
                return INVALID;
            }
            year = (at(b, p, end) - '0') * 1000 + (at(b, p + 1, end) - '0') * 100
                    + (at(b, p + 2, end) - '0') * 10 + (at(b, p + 3, end) - '0');
        }

        if (hour > 23 || min > 59 || sec > 59) {
            return INVALID;
        }

        if (day == 29 && month == 1) {
            if ((year & 3) != 0 || ((year % 100 == 0) && (year % 400) != 0)) {
                return INVALID;
            }
        } else if (day > MDAY[month]) {
            return INVALID;
        }

        // shift the new year to March 1, months from 1 (Gauss' formula), as nginx does
        if (--month <= 0) {
            month += 12;
            year -= 1;
        }
        long days = 365L * year + year / 4 - year / 100 + year / 400
                + 367L * month / 12 - 30
                + day - 1
                - 719527 + 31 + 28;
        return days * 86400 + hour * 3600L + min * 60L + sec;
    }

    private static int at(byte[] b, int i, int end) {
        return i < end && i >= 0 ? b[i] & 0xff : 0;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }
}
