package io.tt.common.net;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import java.util.Map;

/**
 * Drops socket options that only restate what a new socket already has, so they cost no system call: each one
 * set on a bootstrap is a setsockopt on every connection.
 */
final class SocketDefaults {

  private SocketDefaults() {
  }

  /**
   * Removes the no-op options of a client bootstrap (and the listening options of a server bootstrap). Vert.x
   * configures a new bootstrap for every outgoing connection, so this runs per connection: no strings are built.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void strip(AbstractBootstrap<?, ?> bootstrap) {
    for (Map.Entry<ChannelOption<?>, Object> e : bootstrap.config().options().entrySet()) {
      if (isKernelDefault(e.getKey(), e.getValue())) {
        bootstrap.option((ChannelOption) e.getKey(), null); // null removes the option
      }
    }
    if (bootstrap instanceof ServerBootstrap server) {
      for (Map.Entry<ChannelOption<?>, Object> e : server.config().childOptions().entrySet()) {
        if (isKernelDefault(e.getKey(), e.getValue())) {
          server.childOption((ChannelOption) e.getKey(), null);
        }
      }
    }
  }

  /**
   * Whether a new TCP socket already has this value: off for the flags, 0 for the user timeout, and TCP_NODELAY on
   * because Netty's native channels switch it on when they wrap a socket. Transport-specific options are named
   * like "io.netty.channel.epoll.EpollChannelOption#TCP_CORK": matched on the part after '#'.
   */
  static boolean isKernelDefault(ChannelOption<?> option, Object value) {
    String name = option.name();
    if (named(name, "TCP_QUICKACK") || named(name, "TCP_CORK") || named(name, "SO_KEEPALIVE")
        || named(name, "SO_REUSEPORT")) {
      return Boolean.FALSE.equals(value);
    }
    if (named(name, "TCP_USER_TIMEOUT")) {
      return Integer.valueOf(0).equals(value);
    }
    return named(name, "TCP_NODELAY") && Boolean.TRUE.equals(value);
  }

  private static boolean named(String name, String simple) {
    int at = name.length() - simple.length();
    return name.endsWith(simple) && (at == 0 || name.charAt(at - 1) == '#');
  }
}
