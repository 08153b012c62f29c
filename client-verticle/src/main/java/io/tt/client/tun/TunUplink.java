package io.tt.client.tun;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;

/** How the client's TUN packets reach the server: datagrams or a tunnel stream. Used on the TUN context. */
interface TunUplink {

  /** Connects (or binds); completes when packets can flow, or fails with the reason. */
  Future<Void> start();

  /** Sends one IP packet (its readable bytes); takes ownership whatever happens. */
  void send(ByteBuf packet);

  void stop();
}
