package io.tt.common.config;

import java.util.ArrayList;
import java.util.List;

import static io.tt.common.config.OptionSpec.flag;
import static io.tt.common.config.OptionSpec.value;

/** The options of {@code tt server} and {@code tt client}: the seed's, plus TT's additions. */
public final class Options {

  private Options() {
  }

  private static List<OptionSpec> shared() {
    List<OptionSpec> l = new ArrayList<>();
    l.add(flag("h", "help", "Prints help information"));
    l.add(flag("V", "version", "Prints version information"));
    l.add(flag("v", "verbose", "Logs each tunnel and every port jump"));
    l.add(value("c", "config", "file", null, "JSON config file (keys are the long option names)"));
    l.add(value("k", "key", "key", null, "Shared password (prefer --key-file or TT_KEY: argv is visible to other users)"));
    l.add(value(null, "key-file", "file", null, "File holding the password (one key per line; all accepted, the first used)"));
    l.add(value("m", "methods", "methods", TunnelSettings.DEFAULT_METHOD, "AEAD: aes-256-gcm, chacha20-poly1305 (server: comma list accepted)"));
    l.add(value("r", "port-range", "range", TunnelSettings.DEFAULT_PORT_RANGE, "Ports the server jumps over"));
    l.add(value(null, "slot-seconds", "seconds", String.valueOf(TunnelSettings.DEFAULT_SLOT_SECONDS), "Length of a port slot"));
    l.add(value(null, "padding", "policy", "auto", "Frame padding: off, auto, full"));
    l.add(value(null, "frame-size", "bytes", String.valueOf(TunnelSettings.DEFAULT_FRAME_SIZE), "Largest payload per frame (a burst's first 256 KiB go in frames of at most 16 KiB)"));
    l.add(value(null, "timestamp-window", "seconds", "slot-seconds + 30", "Largest clock difference accepted"));
    l.add(value(null, "connect-timeout", "ms", "10000", "Connect timeout"));
    l.add(value(null, "instances", "n", "cores", "Event-loop verticle instances"));
    l.add(value(null, "tun-ip", "cidr", null, "TUN mode: device address, e.g. 10.1.0.2/24"));
    l.add(value(null, "tun-mtu", "mtu", String.valueOf(TunConfig.DEFAULT_MTU), "TUN mode: device MTU"));
    l.add(value(null, "tun-proto", "proto", "UDP", "TUN mode: UDP or TCP"));
    l.add(flag(null, "no-port-jump-on-tun-mode", "TUN mode: stay on the first port of the range"));
    return l;
  }

  public static final List<OptionSpec> SERVER = server();
  public static final List<OptionSpec> CLIENT = client();

  private static List<OptionSpec> server() {
    List<OptionSpec> l = shared();
    l.add(3, value("l", "listen", "listen-addr", ServerConfig.DEFAULT_LISTEN, "Address to listen on"));
    l.add(value(null, "fallback", "host:port", null, "Real web server that probes are handed to (default: built-in site)"));
    l.add(value(null, "site-header-timeout", "ms", "60000", "Built-in site: time a visitor has to send a request head (nginx's)"));
    l.add(value(null, "handshake-timeout", "ms", "10000", "Deadline for a new connection's first frame"));
    l.add(value(null, "replay-capacity", "n", "200000", "Most salts the replay filter holds"));
    l.add(value(null, "max-unauthenticated", "n", "4096", "Most connections not yet authenticated (handshakes, probes)"));
    l.add(value(null, "max-unauthenticated-per-ip", "n", "64", "The same, per source address"));
    l.add(value(null, "metrics-listen", "host:port", null, "Serve Prometheus /metrics and /health here"));
    l.add(value(null, "cluster-members", "hosts", null, "Join a server cluster (Hazelcast TCP-IP members)"));
    l.add(value(null, "cluster-host", "address", "listen", "Address this member binds Hazelcast to"));
    l.add(value(null, "cluster-name", "name", "tt", "Members join only a cluster of the same name"));
    l.add(value(null, "key-rotation-overlap", "seconds", "3600", "How long a key removed from the config is still accepted"));
    l.add(value(null, "mux-streams", "n", "1024", "Most streams open at once on one mux connection"));
    l.add(value(null, "mux-window", "bytes", "1048576", "Bytes a client may send on a mux stream ahead of its target"));
    l.add(value(null, "mux-idle", "seconds", "300", "A mux connection without streams is closed after this"));
    return List.copyOf(l);
  }

  private static List<OptionSpec> client() {
    List<OptionSpec> l = shared();
    l.add(3, value("s", "server", "server", null, "Server host name or address (several: comma list)"));
    l.add(4, value("l", "listen", "listen-addr", ClientConfig.DEFAULT_LISTEN, "Local HTTP and SOCKS5 proxy address"));
    l.add(value(null, "balance", "mode", "balance-rr", "Several servers: balance-rr or active-backup"));
    l.add(value(null, "proxy-user", "user:pass", null, "Require this login on the local proxy (SOCKS5 and HTTP)"));
    l.add(value(null, "cover-traffic", "ms", "0 (off)", "Idle tunnels send padding frames at random intervals of this mean"));
    l.add(value(null, "handshake-timeout", "ms", "30000", "Deadline for a local client's SOCKS5/HTTP proxy request"));
    l.add(value(null, "mux", "n", String.valueOf(ClientConfig.DEFAULT_MUX_STREAMS),
        "Proxied connections per TT connection (mux streams); 0: a TT connection each"));
    l.add(value(null, "mux-window", "bytes", "4194304", "Bytes the server may send on a mux stream ahead of the application"));
    l.add(value(null, "mux-idle", "seconds", "30", "A mux connection without streams is closed after this"));
    return List.copyOf(l);
  }
}
