package io.tt.server.fakesite;

import io.vertx.core.Vertx;

import java.util.Objects;

/** Builds the server's {@link Fallback} from its {@code --fallback} setting. */
public final class Fallbacks {

    private Fallbacks() {
    }

    /**
     * {@code null} or blank: the {@link BuiltInSite}. Otherwise {@code HOST:PORT} (IPv6 literal as
     * {@code [addr]:port}): an {@link UpstreamFallback} to that web server.
     *
     * @throws IllegalArgumentException for a malformed HOST:PORT (the message names the value's
     *     problem, for a "--fallback" configuration error)
     */
    public static Fallback create(Vertx vertx, String fallbackHostPortOrNull) {
        Objects.requireNonNull(vertx, "vertx");
        if (fallbackHostPortOrNull == null || fallbackHostPortOrNull.isBlank()) {
            return new BuiltInSite(vertx);
        }
        HostPort hp = parseHostPort(fallbackHostPortOrNull.trim());
        return new UpstreamFallback(vertx, hp.host, hp.port);
    }

    /** A parsed HOST:PORT. */
    static final class HostPort {
        final String host;
        final int port;

        HostPort(String host, int port) {
            this.host = host;
            this.port = port;
        }
    }

    static HostPort parseHostPort(String s) {
        String host;
        String portText;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 2 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("fallback must be HOST:PORT or [IPv6]:PORT");
            }
            host = s.substring(1, close);
            portText = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw new IllegalArgumentException("fallback must be HOST:PORT or [IPv6]:PORT");
            }
            host = s.substring(0, colon);
            portText = s.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c >= 0x7f)) {
            throw new IllegalArgumentException("fallback host is not a host name or address");
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fallback port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("fallback port must be 1..65535");
        }
        return new HostPort(host, port);
    }
}
