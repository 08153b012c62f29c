package io.tt.common.net;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.VertxWrapper;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetServerImpl;
import io.vertx.core.net.impl.NetServerInternal;
import io.vertx.core.net.impl.ServerID;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/**
 * The listening sockets of one side of TT (shared by its event-loop verticles): every event loop listens on the
 * port with a socket of its own (SO_REUSEPORT), so a connection is accepted and served by one thread. Vert.x would
 * bind one socket per address and hand every connection it accepts to a loop in turn. Measured on 2 cores: 8-12 %
 * more new connections per second. The kernel queues the connections on the first socket and its loop hands one
 * to another loop only when it serves more than the others ({@link LoopBalancer}).
 *
 * <p>SO_REUSEPORT would also let another process of the same user bind the port and silently take a share of the
 * connections, so the first of our sockets on an address is bound only after a plain bind of the address
 * succeeded: a port in use elsewhere fails as it would without SO_REUSEPORT.
 */
public final class LoopListeners {

  /** Linux balances new connections over an SO_REUSEPORT group; BSD and macOS give them all to the last socket. */
  private static final boolean BALANCES = System.getProperty("os.name", "").startsWith("Linux");

  /** Our sockets per address, so that only the first one probes (the others would find ours). */
  private final Map<String, Integer> bound = new HashMap<>();

  /** Listens on {@code host:port} from the calling verticle's event loop. */
  public Future<NetServer> listen(Vertx vertx, NetServerOptions options, Handler<NetSocket> handler, int port,
                                  String host) {
    if (!BALANCES || port == 0 || !vertx.isNativeTransportEnabled() || !isIpLiteral(host)) {
      // An ephemeral port would differ per loop; NIO has no SO_REUSEPORT; a host name would need a blocking lookup
      // for the probe; elsewhere than Linux one socket would get every connection: one shared socket, as Vert.x.
      return vertx.createNetServer(options).connectHandler(handler).listen(port, host);
    }
    String address = host + ":" + port;
    try {
      claim(address, host, port);
    } catch (IOException e) {
      return Future.failedFuture(new BindException("Address already in use: " + address));
    }
    NetServer server = new NetServerImpl(new OwnSockets((VertxInternal) vertx),
        new NetServerOptions(options).setReusePort(true)).connectHandler(handler);
    return server.listen(port, host).onFailure(e -> release(host, port));
  }

  private static boolean isIpLiteral(String host) {
    return io.netty.util.NetUtil.isValidIpV4Address(host) || io.netty.util.NetUtil.isValidIpV6Address(host);
  }

  /** Tells that one of our sockets on {@code host:port} is closing. */
  public synchronized void release(String host, int port) {
    bound.computeIfPresent(host + ":" + port, (a, n) -> n > 1 ? n - 1 : null);
  }

  private synchronized void claim(String address, String host, int port) throws IOException {
    if (!bound.containsKey(address)) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(host, port));
      }
    }
    bound.merge(address, 1, Integer::sum);
  }

  /** The Vert.x instance with an empty table of shared servers: each server binds its own socket. */
  private static final class OwnSockets extends VertxWrapper {
    private final Map<ServerID, NetServerInternal> servers = new HashMap<>();

    OwnSockets(VertxInternal delegate) {
      super(delegate);
    }

    @Override
    public Map<ServerID, NetServerInternal> sharedTcpServers() {
      return servers;
    }
  }
}
