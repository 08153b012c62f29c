package io.tt.common.net;

import io.vertx.core.VertxBuilder;
import io.vertx.core.transport.Transport;

/**
 * TT's Vert.x transport: the platform's native one (epoll on Linux, kqueue on macOS) accepting on the listening
 * event loop and without no-op socket options ({@link LoopAcceptTransport}); NIO when no native one loads.
 */
public final class TtTransport implements Transport {

  private final Transport nativeTransport;
  private final io.vertx.core.spi.transport.Transport implementation;

  private TtTransport(Transport nativeTransport) {
    this.nativeTransport = nativeTransport;
    this.implementation = new LoopAcceptTransport(nativeTransport.implementation());
  }

  /**
   * Puts TT's transport on {@code builder}; leaves it as it is when none is native (Vert.x then uses NIO) or when
   * {@code -Dtt.transport=vertx} asks for Vert.x's own.
   */
  public static VertxBuilder apply(VertxBuilder builder) {
    if ("vertx".equals(System.getProperty("tt.transport"))) {
      return builder;
    }
    Transport nativeTransport = Transport.nativeTransport();
    if (nativeTransport == null || !nativeTransport.available()) {
      return builder;
    }
    return builder.withTransport(new TtTransport(nativeTransport));
  }

  @Override
  public String name() {
    return nativeTransport.name();
  }

  @Override
  public boolean available() {
    return nativeTransport.available();
  }

  @Override
  public Throwable unavailabilityCause() {
    return nativeTransport.unavailabilityCause();
  }

  @Override
  public io.vertx.core.spi.transport.Transport implementation() {
    return implementation;
  }
}
