#!/usr/bin/env python3
"""Writes the seed corpus for fuzzing the proxy parsers, one raw input per file, and corpus-expected.tsv:
file, credentials the proxy runs with (none | alice:s3cret), expected outcome prefix, expected prefix of the bytes
the client receives (hex for SOCKS5, text for HTTP). CorpusTest replays every file whole, byte by byte and cut at
every position, and checks these expectations. Run from this directory: python3 make_corpus.py"""
import base64
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OK = "05000001000000000000"


def h(s):
    return bytes.fromhex(s.replace(" ", ""))


def c(s):
    return s.replace("\n", "\r\n").encode("latin-1")


GREET = h("05 01 00")
GREET_BOTH = h("05 02 00 02")
AUTH_OK = h("01 05") + b"alice" + h("06") + b"s3cret"
V4 = h("05 01 00 01 c0000201 01bb")
BASIC = "Proxy-Authorization: Basic " + base64.b64encode(b"alice:s3cret").decode() + "\n"

socks5 = [
    ("noauth-ipv4", "none", GREET + V4, "connect SOCKS5", "0500" + OK),
    ("noauth-ipv6", "none", GREET + h("05 01 00 04 20010db8000000000000000000000001 0050"), "connect SOCKS5", "0500" + OK),
    ("noauth-domain-earlydata", "none", GREET + h("05 01 00 03 0b") + b"example.com" + h("1f90") + b"GET / HTTP/1.1\r\n\r\n",
     "connect SOCKS5", "0500" + OK),
    ("domain-255", "none", GREET + h("05 01 00 03 ff") + b"a" * 255 + h("0050"), "connect SOCKS5", "0500" + OK),
    ("password-ok", "alice", GREET_BOTH + AUTH_OK + V4, "connect SOCKS5", "05020100" + OK),
    ("password-wrong", "alice", GREET_BOTH + h("01 05") + b"alice" + h("06") + b"s3creT" + V4,
     "fail: SOCKS5 authentication failed", "05020101"),
    ("password-required-noauth-offered", "alice", GREET + V4, "fail: no acceptable", "05ff"),
    ("auth-wrong-version", "alice", GREET_BOTH + h("02 05") + b"alice" + h("06") + b"s3cret", "fail: malformed SOCKS5 password",
     "05020101"),
    ("auth-oversize-garbage", "alice", GREET_BOTH + h("01 ff") + b"u" * 255 + h("ff") + b"p" * 255 + b"x" * 4096,
     "fail: SOCKS5 authentication failed", "05020101"),
    ("zero-methods", "none", h("05 00"), "fail: no acceptable", "05ff"),
    ("gssapi-only", "none", h("05 01 01"), "fail: no acceptable", "05ff"),
    ("bind", "none", GREET + h("05 02 00 01 00000000 0000"), "fail: SOCKS5 request refused: COMMAND_NOT_SUPPORTED",
     "050005070001000000000000"),
    ("udp-associate", "none", GREET + h("05 03 00 01 00000000 0000"), "fail: SOCKS5 request refused: COMMAND_NOT_SUPPORTED",
     "050005070001000000000000"),
    ("atyp-02", "none", GREET + h("05 01 00 02 00000000 0000"), "fail: malformed SOCKS5 request: unknown address type",
     "050005080001000000000000"),
    ("atyp-ff", "none", GREET + h("05 01 00 ff"), "fail: malformed SOCKS5 request: unknown address type",
     "050005080001000000000000"),
    ("empty-domain", "none", GREET + h("05 01 00 03 00 0050"), "fail: malformed SOCKS5 request: empty domain",
     "050005010001000000000000"),
    ("domain-control-chars", "none", GREET + h("05 01 00 03 05") + b"a\r\nb\x00" + h("0050"),
     "fail: SOCKS5 request refused: HOST_UNREACHABLE", "050005040001000000000000"),
    ("request-version-4", "none", GREET + h("04 01 00 01 7f000001 0050"), "fail: malformed SOCKS5 request: request version",
     "050005010001000000000000"),
    ("port-0", "none", GREET + h("05 01 00 01 7f000001 0000"), "fail: SOCKS5 request refused: GENERAL_FAILURE",
     "050005010001000000000000"),
    ("truncated-greeting", "none", h("05 ff 00 01 02"), "incomplete", ""),
    ("truncated-request", "none", GREET + h("05 01 00 03 20") + b"short", "incomplete", "0500"),
    # methods 00 01 02 (no-auth offered), then bytes 03 04 ... read as a request whose version is not 5
    ("garbage-after-greeting", "none", h("05 03") + bytes(range(256)), "fail: malformed SOCKS5 request: request version",
     "0500" + "05010001000000000000"),
]

hello = h("16 03 01 00 05 0102030405")
many_fields = "GET http://a/ HTTP/1.1\n" + "".join("X-%d: v\n" % i for i in range(150)) + "\n"
http = [
    ("connect", "none", c("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n") + hello, "connect HTTP_CONNECT",
     "HTTP/1.1 200 Connection established\r\n\r\n"),
    ("connect-ipv6-auth", "alice", c("CONNECT [2001:db8::1]:443 HTTP/1.1\n" + BASIC + "\n"), "connect HTTP_CONNECT",
     "HTTP/1.1 200 "),
    ("get-absolute", "none", c("GET http://example.com/a?b=c&d HTTP/1.1\nHost: example.com\nProxy-Connection: keep-alive\n\n"),
     "connect HTTP_FORWARD", ""),
    ("get-ipv6-literal", "none", c("GET http://[::1]:8080/ HTTP/1.1\n\n"), "connect HTTP_FORWARD", ""),
    ("keepalive-mixed-bodies", "none", c("GET http://a/1 HTTP/1.1\n\nPOST http://a/2 HTTP/1.1\nContent-Length: 5\n\nhello"
                                         "POST http://b:8080/3 HTTP/1.1\nTransfer-Encoding: chunked\n\n3;e=1\nabc\n0\nT: 1\n\n"
                                         "HEAD http://a/4 HTTP/1.1\nConnection: close\n\n"), "connect HTTP_FORWARD", ""),
    ("lf-only-leading-crlf", "none", b"\r\n\nGET http://a/ HTTP/1.0\nConnection: keep-alive\n\n", "connect HTTP_FORWARD", ""),
    ("auth-ok", "alice", c("GET http://a/ HTTP/1.1\n" + BASIC + "\n"), "connect HTTP_FORWARD", ""),
    ("auth-missing", "alice", c("GET http://a/ HTTP/1.1\n\n"), "fail: HTTP 407", "HTTP/1.1 407 "),
    ("auth-wrong", "alice", c("CONNECT a:443 HTTP/1.1\nProxy-Authorization: Basic "
                              + base64.b64encode(b"alice:hunter2").decode() + "\n\n"), "fail: HTTP 407", "HTTP/1.1 407 "),
    ("auth-bad-base64", "alice", c("GET http://a/ HTTP/1.1\nProxy-Authorization: Basic %%%\n\n"), "fail: HTTP 407",
     "HTTP/1.1 407 "),
    ("origin-form", "none", c("GET / HTTP/1.1\nHost: a\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("https-absolute", "none", c("GET https://a/ HTTP/1.1\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("ftp-scheme", "none", c("GET ftp://a/ HTTP/1.1\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("userinfo", "none", c("GET http://u:p@a/ HTTP/1.1\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("asterisk", "none", c("OPTIONS * HTTP/1.1\n\n"), "fail: HTTP 405", "HTTP/1.1 405 "),
    ("connect-no-port", "none", c("CONNECT a HTTP/1.1\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("cl-te", "none", c("POST http://a/ HTTP/1.1\nContent-Length: 4\nTransfer-Encoding: chunked\n\n0\n\n"), "fail: HTTP 400",
     "HTTP/1.1 400 "),
    ("te-cl", "none", c("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked\nContent-Length: 4\n\n0\n\n"), "fail: HTTP 400",
     "HTTP/1.1 400 "),
    ("te-not-final", "none", c("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked, gzip\n\n"), "fail: HTTP 400",
     "HTTP/1.1 400 "),
    ("te-http10", "none", c("POST http://a/ HTTP/1.0\nTransfer-Encoding: chunked\n\n0\n\n"), "fail: HTTP 400",
     "HTTP/1.1 400 "),
    ("cl-negative", "none", c("POST http://a/ HTTP/1.1\nContent-Length: -1\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("cl-overflow", "none", c("POST http://a/ HTTP/1.1\nContent-Length: 18446744073709551617\n\n"), "fail: HTTP 400",
     "HTTP/1.1 400 "),
    ("cl-duplicate", "none", c("POST http://a/ HTTP/1.1\nContent-Length: 1\nContent-Length: 1\n\nx"), "fail: HTTP 400",
     "HTTP/1.1 400 "),
    ("connection-names-content-length", "none",
     c("POST http://a/ HTTP/1.1\nConnection: Content-Length\nContent-Length: 3\n\nabc"), "connect HTTP_FORWARD", ""),
    ("chunk-size-bad", "none", c("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked\n\nzz\n"),
     "connect HTTP_FORWARD, then fail: HTTP 400", "HTTP/1.1 400 "),
    ("chunk-size-overflow", "none", c("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked\n\nffffffffffffffffff\n"),
     "connect HTTP_FORWARD, then fail: HTTP 400", "HTTP/1.1 400 "),
    ("chunk-line-overlong", "none", c("POST http://a/ HTTP/1.1\nTransfer-Encoding: chunked\n\n1;" + "e" * 5000 + "\n"),
     "connect HTTP_FORWARD, then fail: HTTP 400", "HTTP/1.1 400 "),
    ("obs-fold", "none", c("GET http://a/ HTTP/1.1\nX: 1\n 2\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("space-before-colon", "none", c("GET http://a/ HTTP/1.1\nHost : a\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("bare-cr", "none", b"GET http://a/ HTTP/1.1\r\nX: a\rb\r\n\r\n", "fail: HTTP 400", "HTTP/1.1 400 "),
    ("nul-in-header", "none", c("GET http://a/ HTTP/1.1\nX: a\x00b\n\n"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("request-line-9k", "none", c("GET http://a/" + "x" * 9000 + " HTTP/1.1\n\n"), "fail: HTTP 414", "HTTP/1.1 414 "),
    ("header-70k", "none", c("GET http://a/ HTTP/1.1\nX: " + "v" * 70000 + "\n\n"), "fail: HTTP 431", "HTTP/1.1 431 "),
    ("header-count-150", "none", c(many_fields), "fail: HTTP 431", "HTTP/1.1 431 "),
    ("http2-preface", "none", c("PRI * HTTP/2.0\n\nSM\n\n"), "fail: HTTP 505", "HTTP/1.1 505 "),
    ("tls-clienthello", "none", hello, "fail: HTTP 400", "HTTP/1.1 400 "),
    ("binary-garbage", "none", bytes(range(255, -1, -1)), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("socks4", "none", h("04 01 0050 7f000001 00"), "fail: HTTP 400", "HTTP/1.1 400 "),
    ("truncated-head", "none", c("GET http://a/ HTTP/1.1\nHost: a\n"), "incomplete", ""),
]

lines = []
for kind, cases in (("socks5", socks5), ("http", http)):
    os.makedirs(os.path.join(HERE, "corpus", kind), exist_ok=True)
    for name, auth, data, outcome, client in cases:
        path = "%s/%s.bin" % (kind, name)
        with open(os.path.join(HERE, "corpus", path), "wb") as f:
            f.write(data)
        lines.append("\t".join((path, auth, outcome, client.replace("\r\n", "\\r\\n"))))
with open(os.path.join(HERE, "corpus-expected.tsv"), "w") as f:
    f.write("# file\tauth\toutcome prefix\tclient bytes prefix (hex for socks5, text with \\r\\n for http)\n")
    f.write("\n".join(lines) + "\n")
print("%d socks5, %d http inputs" % (len(socks5), len(http)))
