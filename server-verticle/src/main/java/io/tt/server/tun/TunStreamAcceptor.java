package io.tt.server.tun;

/** Takes authenticated TUN_STREAM connections from the server's TCP listeners (TUN mode over TCP). */
public interface TunStreamAcceptor {

  /** Serves the stream; called on the stream's event loop. */
  void accept(TunStreamHandoff stream);
}
