package io.tt.client;

import io.netty.buffer.ByteBuf;
import io.tt.common.config.TunnelSettings;
import io.tt.common.schedule.SlotClock;
import io.tt.common.wire.ClientHandshake;
import io.tt.common.wire.ClientRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Opens tunnels: picks a server, dials the port of the current slot (then the neighbouring slots' ports, then
 * the next server), and sends the salt and first frame in the connection's first write.
 */
public final class TunnelDialer {

  private static final Logger LOG = Logger.getLogger(TunnelDialer.class.getName());

  /** A connected tunnel whose first frame is on its way; the server's answer is read by the relay. */
  public record Dialed(NetSocketInternal socket, ClientHandshake handshake, InetAddress server, int port) {
  }

  private final NetClient client;
  private final ServerPicker picker;
  private final ClientKeys keys;
  private final TunnelSettings settings;
  private final SlotClock clock;

  public TunnelDialer(NetClient client, ServerPicker picker, ClientKeys keys, TunnelSettings settings, SlotClock clock) {
    this.client = client;
    this.picker = picker;
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
  }

  private record Attempt(InetAddress address, int port) {
  }

  /**
   * @param firstData bytes to send with the request (may be null); consumed and released by the dialer
   */
  public Future<Dialed> dial(LongFunction<ClientRequest> request, ByteBuf firstData) {
    return dial(request, () -> firstData);
  }

  /**
   * @param firstData asked for once, when the connection to the server is up (what the local client sent
   *     meanwhile goes out with the hello) or has finally failed; may give null; the dialer releases what it gives
   */
  public Future<Dialed> dial(LongFunction<ClientRequest> request, Supplier<ByteBuf> firstData) {
    long slot = keys.schedule().slotAt(clock.millis());
    int port = keys.schedule().portFor(slot);
    List<InetAddress> servers = picker.candidates();
    List<Attempt> attempts = new ArrayList<>();
    for (int i = 0; i < Math.min(2, servers.size()); i++) {
      attempts.add(new Attempt(servers.get(i), port));
    }
    if (!servers.isEmpty()) {
      // The server may not hold this slot's port (clock further off, or the port busy there): try the neighbours'.
      attempts.add(new Attempt(servers.get(0), keys.schedule().portFor(slot + 1)));
      attempts.add(new Attempt(servers.get(0), keys.schedule().portFor(slot - 1)));
    }
    Promise<Dialed> promise = Promise.promise();
    tryNext(attempts, 0, request, firstData, promise, null);
    return promise.future();
  }

  private void tryNext(List<Attempt> attempts, int i, LongFunction<ClientRequest> request,
                       Supplier<ByteBuf> firstDataLater, Promise<Dialed> promise, Throwable last) {
    if (i >= attempts.size()) {
      ByteBuf firstData = firstDataLater.get();
      if (firstData != null) {
        firstData.release();
      }
      promise.fail(last != null ? last : new IllegalStateException("no server address"));
      return;
    }
    Attempt a = attempts.get(i);
    client.connect(SocketAddress.inetSocketAddress(a.port(), a.address().getHostAddress())).onComplete(ar -> {
      if (ar.failed()) {
        LOG.fine(() -> "cannot reach " + a.address().getHostAddress() + ":" + a.port() + ": " + ar.cause().getMessage());
        if (i < attempts.size() - 1 && !attempts.get(i + 1).address().equals(a.address())) {
          picker.failed(a.address());
        }
        tryNext(attempts, i + 1, request, firstDataLater, promise, ar.cause());
        return;
      }
      picker.succeeded(a.address());
      NetSocketInternal so = (NetSocketInternal) ar.result();
      ClientHandshake hs = new ClientHandshake(keys.key(), keys.method(), a.port(), settings.padding(),
          settings.frameSize(), so.channelHandlerContext().alloc());
      ByteBuf firstData = firstDataLater.get();
      ByteBuf hello;
      try {
        hello = hs.hello(request.apply(clock.millis() / 1000), firstData);
      } finally {
        if (firstData != null) {
          firstData.release();
        }
      }
      so.writeMessage(hello);
      promise.complete(new Dialed(so, hs, a.address(), a.port()));
    });
  }
}
