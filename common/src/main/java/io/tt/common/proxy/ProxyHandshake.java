package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.http.HttpLimits;

import java.util.Objects;

/**
 * The start of one client connection to the local proxy port, where SOCKS5 and HTTP share a port: the first byte
 * decides (0x05 is SOCKS5, anything else is parsed as HTTP, and refused with 400 if it is not). Feed it what the
 * socket delivers until it returns {@link HandshakeResult.Connect} or {@link HandshakeResult.Fail}; see
 * {@code package-info.java} for the handler loop.
 *
 * <p>Bytes fed are copied into an internal buffer (the handshake is a few hundred bytes, not the hot path); that
 * buffer never holds more than one unfinished message (at most 513 bytes for SOCKS5, the head cap for HTTP) plus
 * the last input. Results are the same however the input is split. Nothing thrown escapes {@link #feed}.
 * One instance per connection, used from one thread (the connection's event loop).
 */
public final class ProxyHandshake {

  private enum State { DETECT, SOCKS5, HTTP, DONE }

  private static final int SOCKS5_VERSION = 0x05;

  private final ProxyAuth auth;
  private final HttpLimits limits;
  private ByteBuf buffer = Unpooled.buffer(512);
  private State state = State.DETECT;
  private Socks5ServerHandshake socks5;
  private HttpHandshake http;

  public ProxyHandshake(ProxyAuth auth) {
    this(auth, HttpLimits.DEFAULT);
  }

  public ProxyHandshake(ProxyAuth auth, HttpLimits limits) {
    this.auth = Objects.requireNonNull(auth, "auth");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Takes all readable bytes of {@code in} (its reader index moves to its writer index; ownership stays with the
   * caller) and says what to do next.
   *
   * @throws IllegalStateException if called after a Connect or Fail result (a handler bug, not an input problem)
   */
  public HandshakeResult feed(ByteBuf in) {
    if (state == State.DONE) {
      throw new IllegalStateException("proxy handshake already finished");
    }
    buffer.writeBytes(in);
    if (state == State.DETECT) {
      if (!buffer.isReadable()) {
        return HandshakeResult.NeedMore.INSTANCE;
      }
      if (buffer.getUnsignedByte(buffer.readerIndex()) == SOCKS5_VERSION) {
        socks5 = new Socks5ServerHandshake(auth);
        state = State.SOCKS5;
      } else {
        http = new HttpHandshake(auth, limits);
        state = State.HTTP;
      }
    }
    HandshakeResult result;
    try {
      result = state == State.SOCKS5 ? socks5.advance(buffer) : http.advance(buffer);
    } catch (RuntimeException e) {
      // Belt and braces: parsers report bad input as results, so this is a bug; still, close rather than throw.
      result = new HandshakeResult.Fail(Unpooled.EMPTY_BUFFER, "internal error: " + e.getClass().getSimpleName());
    }
    if (result instanceof HandshakeResult.Connect || result instanceof HandshakeResult.Fail) {
      state = State.DONE;
      buffer = null; // a Connect's leftover may share it
    } else {
      buffer.discardReadBytes();
    }
    return result;
  }

  /** Which protocol the client speaks, once its first byte has arrived: "socks5", "http", or null before. */
  public String protocol() {
    if (socks5 != null) {
      return "socks5";
    }
    return http != null ? "http" : null;
  }
}
