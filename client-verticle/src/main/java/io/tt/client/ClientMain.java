package io.tt.client;

import io.tt.common.cli.Cli;
import io.tt.common.cli.TtMain;
import io.tt.common.config.ClientConfig;
import io.tt.common.config.Options;

/** Main class of tt-client-fat.jar: {@code tt client -s HOST -k KEY ...} or {@code -conf client.json}. */
public final class ClientMain {

  public static final TtMain.Side SIDE = new TtMain.Side("tt client",
      "tt-client " + Cli.version() + "\nTT, The Tunnel, client side",
      "tt client [FLAGS] [OPTIONS] --key <key> --server <server>", Options.CLIENT, ClientConfig::fromJson,
      ClientVerticle::new);

  private ClientMain() {
  }

  public static void main(String[] args) {
    TtMain.main(SIDE, args);
  }
}
