/**
 * What a prober sees on a TT port: connections that fail authentication are handed, with the bytes
 * already read, to a {@link io.tt.server.fakesite.Fallback}.
 *
 * <ul>
 *   <li>{@link io.tt.server.fakesite.BuiltInSite}: a stock Debian nginx 1.24.0 serving a small static
 *   site from memory. Its parsers, limits, timeouts, error pages, header layout, filters (304, gzip,
 *   ranges) and close behaviour (keepalive, lingering close) are ports of nginx's own code; a
 *   differential test compares it byte for byte with a real nginx where one is installed.</li>
 *   <li>{@link io.tt.server.fakesite.UpstreamFallback}: {@code --fallback HOST:PORT}, a splice to a
 *   real web server.</li>
 *   <li>{@link io.tt.server.fakesite.Fallbacks#create}: one or the other from the setting.</li>
 * </ul>
 *
 * <p>Both are thread-safe and meant to be created once per server and shared by every listener
 * and event loop. Each connection's work runs on that socket's event loop; sockets must come from
 * an event-loop (not worker) context.
 */
package io.tt.server.fakesite;
