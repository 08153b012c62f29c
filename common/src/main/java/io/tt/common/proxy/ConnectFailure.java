package io.tt.common.proxy;

import io.netty.channel.ConnectTimeoutException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * Why a tunnel to the target could not be opened, in the few classes both proxy protocols can tell a client:
 * SOCKS5 has a reply code per class (see {@code Socks5ReplyCode.of}), HTTP has 502/504/403
 * (see {@code HttpProxyResponses.forFailure}).
 */
public enum ConnectFailure {
  /** The target actively refused (TCP RST). */
  REFUSED,
  /** No route to the host, or its name does not resolve. */
  HOST_UNREACHABLE,
  /** No route to the host's network. */
  NETWORK_UNREACHABLE,
  /** Connecting took too long. */
  TIMEOUT,
  /** Policy forbids this target. */
  NOT_ALLOWED,
  /** Anything else. */
  GENERAL;

  /** Deep enough for Vert.x/Netty wrapping, short enough that a cyclic cause chain can't loop. */
  private static final int MAX_CAUSE_DEPTH = 8;

  /** What a server's refusal (a reply status of PROTOCOL.md section 5.2) means for the application. */
  public static ConnectFailure of(io.tt.common.wire.ReplyStatus status) {
    return switch (status) {
      case CONNECTION_REFUSED -> REFUSED;
      case HOST_UNREACHABLE -> HOST_UNREACHABLE;
      case NETWORK_UNREACHABLE -> NETWORK_UNREACHABLE;
      case TTL_EXPIRED -> TIMEOUT;
      case NOT_ALLOWED -> NOT_ALLOWED;
      default -> GENERAL;
    };
  }

  /**
   * Classifies an exception from a failed connect (JDK, Netty NIO or native epoll flavours), looking through its
   * causes. Netty's {@code ConnectTimeoutException} and epoll's errno-carrying exceptions both extend
   * {@link ConnectException}, so timeouts and unreachable errors are recognised before "refused".
   */
  public static ConnectFailure classify(Throwable error) {
    Throwable t = error;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++, t = t.getCause()) {
      ConnectFailure f = classifyOne(t);
      if (f != GENERAL) {
        return f;
      }
    }
    return GENERAL;
  }

  private static ConnectFailure classifyOne(Throwable t) {
    if (t instanceof TimeoutException || t instanceof SocketTimeoutException || t instanceof ConnectTimeoutException) {
      return TIMEOUT;
    }
    if (t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
      return HOST_UNREACHABLE;
    }
    String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    if (msg.contains("network is unreachable") || msg.contains("enetunreach")) {
      return NETWORK_UNREACHABLE;
    }
    if (msg.contains("no route to host") || msg.contains("host is unreachable") || msg.contains("ehostunreach")) {
      return HOST_UNREACHABLE;
    }
    if (msg.contains("timed out")) {
      return TIMEOUT;
    }
    if (t instanceof ConnectException || msg.contains("connection refused")) {
      return REFUSED;
    }
    return GENERAL;
  }
}
