package io.tt.server.fakesite;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake web server that answers like a stock Debian nginx 1.24.0 serving a small static site:
 * {@code server_tokens on}, Debian's nginx.conf ({@code sendfile on; tcp_nopush on; gzip on}) and
 * default site ({@code try_files $uri $uri/ =404}), every other directive at nginx's default.
 *
 * <p>It speaks HTTP/1.x on a raw socket with a port of nginx's own parsers, buffer limits
 * (client_header_buffer_size 1k, large_client_header_buffers 4 8k), timeouts (client_header_timeout
 * 60s, keepalive_timeout 75s, lingering_timeout 5s, lingering_time 30s, send_timeout 60s) and close
 * behaviour (lingering close with a half-close, silent close on a header timeout). See
 * {@link SiteConnection} for the request path. One instance serves any number of connections on any
 * event loops; the site is held in memory.
 */
public final class BuiltInSite implements Fallback {

    /** Timeouts and limits; the defaults are nginx's. Durations are configurable for tests. */
    public static final class Options {
        Duration headerTimeout = Duration.ofSeconds(60);
        Duration keepaliveTimeout = Duration.ofSeconds(75);
        Duration lingeringTimeout = Duration.ofSeconds(5);
        Duration lingeringTime = Duration.ofSeconds(30);
        Duration sendTimeout = Duration.ofSeconds(60);
        Duration keepaliveTime = Duration.ofHours(1);
        int keepaliveRequests = 1000;
        Long contentMtime;

        /** nginx client_header_timeout (default 60 s): request head must arrive within it. */
        public Options headerTimeout(Duration d) {
            this.headerTimeout = positive(d);
            return this;
        }

        /** nginx keepalive_timeout (default 75 s). */
        public Options keepaliveTimeout(Duration d) {
            this.keepaliveTimeout = positive(d);
            return this;
        }

        /** nginx lingering_timeout (default 5 s). */
        public Options lingeringTimeout(Duration d) {
            this.lingeringTimeout = positive(d);
            return this;
        }

        /** nginx lingering_time (default 30 s). */
        public Options lingeringTime(Duration d) {
            this.lingeringTime = positive(d);
            return this;
        }

        /** nginx send_timeout (default 60 s). */
        public Options sendTimeout(Duration d) {
            this.sendTimeout = positive(d);
            return this;
        }

        /**
         * Modification time (Unix seconds) of the newest site file, which sets Last-Modified and
         * ETag. Default: a moment 3 to 200 days before start, drawn once per process, so servers
         * do not all share one ETag. Give a fixed value to keep it stable across restarts.
         */
        public Options contentMtime(long epochSeconds) {
            if (epochSeconds <= 0) {
                throw new IllegalArgumentException("contentMtime must be positive");
            }
            this.contentMtime = epochSeconds;
            return this;
        }

        private static Duration positive(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }

    private final Vertx vertx;
    final SiteContent content;
    final long headerTimeoutMs;
    final long keepaliveTimeoutMs;
    final long lingeringTimeoutMs;
    final long lingeringTimeMs;
    final long sendTimeoutMs;
    final long keepaliveTimeMs;
    final int keepaliveRequests;
    /** nginx's ngx_temp_number, used for multipart/byteranges boundaries. */
    final AtomicLong tempNumber = new AtomicLong();

    private volatile DateCache date = new DateCache(Long.MIN_VALUE, null);

    public BuiltInSite(Vertx vertx) {
        this(vertx, new Options());
    }

    public BuiltInSite(Vertx vertx, Options options) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(options, "options");
        this.headerTimeoutMs = options.headerTimeout.toMillis();
        this.keepaliveTimeoutMs = options.keepaliveTimeout.toMillis();
        this.lingeringTimeoutMs = options.lingeringTimeout.toMillis();
        this.lingeringTimeMs = options.lingeringTime.toMillis();
        this.sendTimeoutMs = options.sendTimeout.toMillis();
        this.keepaliveTimeMs = options.keepaliveTime.toMillis();
        this.keepaliveRequests = options.keepaliveRequests;
        long mtime;
        if (options.contentMtime != null) {
            mtime = options.contentMtime;
        } else {
            SecureRandom rnd = new SecureRandom();
            long now = System.currentTimeMillis() / 1000;
            mtime = now - 3 * 86400L - (long) rnd.nextInt(197 * 86400);
        }
        this.content = SiteContent.loadClasspath(mtime);
    }

    @Override
    public void takeOver(NetSocket socket, Buffer alreadyRead) {
        takeOver(socket, alreadyRead, System.nanoTime());
    }

    @Override
    public void takeOver(NetSocket socket, Buffer alreadyRead, long acceptedAtNanos) {
        if (socket == null) {
            return;
        }
        Buffer first = alreadyRead != null ? alreadyRead : Buffer.buffer();
        ConnLoop loop;
        try {
            socket.pause(); // nothing more reaches the caller's handler; resumed once we own it
            loop = ConnLoop.of(vertx, socket);
        } catch (RuntimeException e) {
            socket.close();
            return;
        }
        loop.execute(() -> new SiteConnection(this, socket, loop).start(first, acceptedAtNanos));
    }

    /** "Date: " value for now, as nginx's per-second cached ngx_cached_http_time. */
    byte[] dateBytes() {
        long sec = System.currentTimeMillis() / 1000;
        DateCache d = date;
        if (d.second != sec) {
            d = new DateCache(sec, HttpTime.formatBytes(sec));
            date = d;
        }
        return d.bytes;
    }

    private static final class DateCache {
        final long second;
        final byte[] bytes;

        DateCache(long second, byte[] bytes) {
            this.second = second;
            this.bytes = bytes;
        }
    }
}
