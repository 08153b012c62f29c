package io.tt.common.net;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Drops socket options that only restate what a new socket already has, so they cost no system call: each one
 * set on a bootstrap is a setsockopt on every connection.
 */
final class SocketDefaults {

  private SocketDefaults() {
  }

  /** Removes the no-op options of a client bootstrap (and the listening options of a server bootstrap). */
  static void strip(AbstractBootstrap<?, ?> bootstrap) {
    strip(bootstrap.config().options(), bootstrap::option);
    if (bootstrap instanceof ServerBootstrap server) {
      strip(server.config().childOptions(), server::childOption);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void strip(Map<ChannelOption<?>, Object> options, BiConsumer<ChannelOption, Object> setter) {
    for (Map.Entry<ChannelOption<?>, Object> e : options.entrySet()) {
      if (isKernelDefault(simpleName(e.getKey()), e.getValue())) {
        setter.accept(e.getKey(), null); // null removes the option
      }
    }
  }

  /** The option's own name: transport-specific ones are named "io.netty.channel.epoll.EpollChannelOption#TCP_CORK". */
  static String simpleName(ChannelOption<?> option) {
    String name = option.name();
    return name.substring(name.lastIndexOf('#') + 1);
  }

  /**
   * Whether a new TCP socket already has this value: off for the flags, 0 for the user timeout, and TCP_NODELAY on
   * because Netty's native channels switch it on when they wrap a socket.
   */
  static boolean isKernelDefault(String option, Object value) {
    return switch (option) {
      case "TCP_QUICKACK", "TCP_CORK", "SO_KEEPALIVE", "SO_REUSEPORT" -> Boolean.FALSE.equals(value);
      case "TCP_USER_TIMEOUT" -> Integer.valueOf(0).equals(value);
      case "TCP_NODELAY" -> Boolean.TRUE.equals(value);
      default -> false;
    };
  }
}
