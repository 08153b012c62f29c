package io.tt.server;

import io.tt.common.cli.Cli;
import io.tt.common.cli.TtMain;
import io.tt.common.config.Options;
import io.tt.common.config.ServerConfig;

/** Main class of tt-server-fat.jar: {@code tt server -k KEY ...} or {@code -conf server.json}. */
public final class ServerMain {

  public static final TtMain.Side SIDE = new TtMain.Side("tt server",
      "tt-server " + Cli.version() + "\nTT, The Tunnel, server side",
      "tt server [FLAGS] [OPTIONS] --key <key>", Options.SERVER, ServerConfig::fromJson, ServerVerticle::new,
      ServerVertx::builder, ServerVertx::clustered);

  private ServerMain() {
  }

  public static void main(String[] args) {
    TtMain.main(SIDE, args);
  }
}
