/**
 * HTTP/1.x proxy parsing (RFC 9110, RFC 9112). Public: {@link io.tt.common.proxy.http.HttpRequestFramer} and
 * {@link io.tt.common.proxy.http.HttpResponseFramer} (keep-alive framing, heads judged and rewritten, bodies passed
 * through as slices), {@link io.tt.common.proxy.http.HttpProxyRequest} (a judged request),
 * {@link io.tt.common.proxy.http.HttpProxyResponses} (200 for CONNECT; 400/403/405/407/414/431/502/504/505),
 * {@link io.tt.common.proxy.http.HttpLimits}. Package-private: incremental head parsers, the chunked scanner,
 * target parsing and head rewriting.
 *
 * <p>Caps (defaults): request line 8 KiB (414), head 64 KiB (431), 100 fields (431), chunk-size line 4 KiB (400),
 * 128 pipelined requests per origin connection. Line ends CRLF or bare LF; bare CR, obs-fold, whitespace before a
 * colon, control bytes: 400.
 */
package io.tt.common.proxy.http;
