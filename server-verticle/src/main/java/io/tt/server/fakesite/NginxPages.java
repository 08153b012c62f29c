package io.tt.server.fakesite;

import java.nio.charset.StandardCharsets;

/**
 * nginx 1.24.0's fixed texts: status lines (src/http/ngx_http_header_filter_module.c) and built-in
 * error pages (src/http/ngx_http_special_response.c), with {@code server_tokens on} (Debian's
 * default), so every page ends in {@code <hr><center>nginx/1.24.0</center>}.
 */
final class NginxPages {

    static final String VERSION = "nginx/1.24.0";

    /** nginx's internal 494 "request header too large": sent as "400 Bad Request" with its own page. */
    static final int HEADER_TOO_LARGE = 494;

    private static final String CRLF = "\r\n";

    private static final String TAIL =
            "<hr><center>" + VERSION + "</center>" + CRLF
            + "</body>" + CRLF
            + "</html>" + CRLF;

    /** Appended to 4xx/5xx pages for MSIE and Chrome user agents (msie_padding on). */
    static final byte[] MSIE_PADDING = ascii(
            "<!-- a padding to disable MSIE and Chrome friendly error page -->" + CRLF
            + "<!-- a padding to disable MSIE and Chrome friendly error page -->" + CRLF
            + "<!-- a padding to disable MSIE and Chrome friendly error page -->" + CRLF
            + "<!-- a padding to disable MSIE and Chrome friendly error page -->" + CRLF
            + "<!-- a padding to disable MSIE and Chrome friendly error page -->" + CRLF
            + "<!-- a padding to disable MSIE and Chrome friendly error page -->" + CRLF);

    private NginxPages() {
    }

    /** The status line text after "HTTP/1.1 ", e.g. "404 Not Found"; 494 is reported as 400. */
    static String statusLine(int status) {
        switch (status) {
            case 200: return "200 OK";
            case 206: return "206 Partial Content";
            case 301: return "301 Moved Permanently";
            case 304: return "304 Not Modified";
            case 400: return "400 Bad Request";
            case 403: return "403 Forbidden";
            case 404: return "404 Not Found";
            case 405: return "405 Not Allowed";
            case 408: return "408 Request Time-out";
            case 411: return "411 Length Required";
            case 412: return "412 Precondition Failed";
            case 413: return "413 Request Entity Too Large";
            case 414: return "414 Request-URI Too Large";
            case 416: return "416 Requested Range Not Satisfiable";
            case HEADER_TOO_LARGE: return "400 Bad Request";
            case 500: return "500 Internal Server Error";
            case 501: return "501 Not Implemented";
            case 505: return "505 HTTP Version Not Supported";
            default: throw new IllegalArgumentException("no nginx status line for " + status);
        }
    }

    /** The complete error page body nginx sends for {@code status} (without MSIE padding). */
    static byte[] page(int status) {
        String head;
        switch (status) {
            case 301: head = simple("301 Moved Permanently"); break;
            case 400: head = simple("400 Bad Request"); break;
            case 403: head = simple("403 Forbidden"); break;
            case 404: head = simple("404 Not Found"); break;
            case 405: head = simple("405 Not Allowed"); break;
            case 408: head = simple("408 Request Time-out"); break;
            case 411: head = simple("411 Length Required"); break;
            case 412: head = simple("412 Precondition Failed"); break;
            case 413: head = simple("413 Request Entity Too Large"); break;
            case 414: head = simple("414 Request-URI Too Large"); break;
            case 416: head = simple("416 Requested Range Not Satisfiable"); break;
            case HEADER_TOO_LARGE:
                head = "<html>" + CRLF
                        + "<head><title>400 Request Header Or Cookie Too Large</title></head>" + CRLF
                        + "<body>" + CRLF
                        + "<center><h1>400 Bad Request</h1></center>" + CRLF
                        + "<center>Request Header Or Cookie Too Large</center>" + CRLF;
                break;
            case 500: head = simple("500 Internal Server Error"); break;
            case 501: head = simple("501 Not Implemented"); break;
            case 505: head = simple("505 HTTP Version Not Supported"); break;
            default: throw new IllegalArgumentException("no nginx page for " + status);
        }
        return ascii(head + TAIL);
    }

    private static String simple(String title) {
        return "<html>" + CRLF
                + "<head><title>" + title + "</title></head>" + CRLF
                + "<body>" + CRLF
                + "<center><h1>" + title + "</h1></center>" + CRLF;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
