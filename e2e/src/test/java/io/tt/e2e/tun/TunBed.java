package io.tt.e2e.tun;

import io.tt.common.tun.Netns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A TT server in one namespace and clients in others, each client joined to the server by its own veth pair
 * (server side 10.231.N.1/24, client side 10.231.N.2/24), TUN mode on every side: the server's TUN address is
 * 10.1.0.1/24, client N's is given. Everything it made is undone by {@link #close}.
 */
final class TunBed implements AutoCloseable {

  static final String KEY = "tt e2e tun key";
  static final String SERVER_TUN = "10.1.0.1";
  static final String PORT_RANGE = "20000-29999";

  /** One client: its namespace, process, TUN address and the server address it dials. */
  record Client(Netns ns, TtProcess process, String tunIp, String proto, String serverAddress) {
  }

  final List<String> serverArgs;
  Netns serverNs;
  TtProcess server;
  final List<Client> clients = new ArrayList<>();
  private final List<Netns> namespaces = new ArrayList<>();
  private final int slotSeconds;

  private TunBed(int slotSeconds, List<String> serverArgs) {
    this.slotSeconds = slotSeconds;
    this.serverArgs = serverArgs;
  }

  /** Why the bed cannot be built here, or null. */
  static String skipReason() {
    String why = Netns.skipReason();
    if (why == null && Netns.onPath("ping") == null) {
      why = "`ping` (iputils-ping) is not installed";
    }
    return why != null ? why : TtProcess.skipReason();
  }

  /**
   * Starts the server ({@code extraServerArgs} added) and one client per (tun address, proto) pair, then waits
   * until every client's TUN address answers pings from the server.
   */
  static TunBed start(int slotSeconds, List<String> extraServerArgs, String... tunIpProtoPairs) throws Exception {
    List<String> serverArgs = new ArrayList<>(List.of("-k", KEY, "-r", PORT_RANGE, "--slot-seconds",
        String.valueOf(slotSeconds), "--tun-ip", SERVER_TUN + "/24", "-v"));
    serverArgs.addAll(extraServerArgs);
    TunBed bed = new TunBed(slotSeconds, serverArgs);
    try {
      bed.serverNs = bed.ns("tt-e2e-s");
      for (int i = 0; i < tunIpProtoPairs.length; i += 2) {
        int n = i / 2 + 1;
        Netns c = bed.ns("tt-e2e-c" + n);
        Netns.veth(bed.serverNs, "10.231." + n + ".1/24", c, "10.231." + n + ".2/24");
        bed.clients.add(new Client(c, null, tunIpProtoPairs[i], tunIpProtoPairs[i + 1], "10.231." + n + ".1"));
      }
      bed.startServer();
      for (int i = 0; i < bed.clients.size(); i++) {
        bed.startClient(i, List.of());
      }
      for (Client c : bed.clients) {
        bed.awaitPing(bed.serverNs, c.tunIp(), Duration.ofSeconds(20));
      }
      return bed;
    } catch (Throwable t) {
      bed.close();
      throw t;
    }
  }

  private Netns ns(String prefix) throws Exception {
    Netns n = Netns.create(prefix);
    namespaces.add(n);
    return n;
  }

  void startServer() throws Exception {
    server = TtProcess.start(serverNs, "server", TtProcess.serverJar(), serverArgs);
    server.awaitLog("TT server TUN mode", Duration.ofSeconds(30));
    server.awaitLog("TT server listening", Duration.ofSeconds(30));
  }

  /** Stops the server process and starts a new one with the same arguments. */
  void restartServer() throws Exception {
    server.close();
    startServer();
  }

  void startClient(int i, List<String> extra) throws Exception {
    Client c = clients.get(i);
    List<String> args = new ArrayList<>(List.of("-s", c.serverAddress(), "-k", KEY, "-l", "127.0.0.1:1080",
        "-r", PORT_RANGE, "--slot-seconds", String.valueOf(slotSeconds), "--tun-ip", c.tunIp() + "/24",
        "--tun-proto", c.proto(), "-v"));
    args.addAll(extra);
    TtProcess p = TtProcess.start(c.ns(), "client" + (i + 1) + "-" + c.proto(), TtProcess.clientJar(), args);
    clients.set(i, new Client(c.ns(), p, c.tunIp(), c.proto(), c.serverAddress()));
    p.awaitLog("TT client TUN mode", Duration.ofSeconds(30));
  }

  Client client(int i) {
    return clients.get(i);
  }

  /** Pings {@code address} from {@code from} once a second-fraction until one answer comes, or fails. */
  void awaitPing(Netns from, String address, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    Netns.Result last = null;
    while (System.nanoTime() < end) {
      last = from.exec(5, "ping", "-c", "1", "-W", "1", address);
      if (last.exit() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no ping answer from " + address + " in " + from.name + " within " + timeout + ": "
        + (last == null ? "" : last.output()) + "\nserver log:\n" + server.output() + logs());
  }

  String logs() {
    StringBuilder sb = new StringBuilder();
    for (Client c : clients) {
      if (c.process() != null) {
        sb.append("\n").append(c.process().label).append(" log:\n").append(c.process().output());
      }
    }
    return sb.toString();
  }

  @Override
  public void close() throws java.io.IOException {
    for (Client c : clients) {
      if (c.process() != null) {
        c.process().close();
      }
    }
    if (server != null) {
      server.close();
    }
    for (Netns n : namespaces) {
      n.close();
    }
  }
}
