package io.tt.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketDefaultsTest {

  @Test
  void optionsThatRestateANewSocketAreDroppedOthersKept() {
    ServerBootstrap server = new ServerBootstrap()
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(EpollChannelOption.SO_REUSEPORT, false)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(EpollChannelOption.TCP_QUICKACK, false)
        .childOption(EpollChannelOption.TCP_CORK, false);
    SocketDefaults.strip(server);
    assertEquals(Map.of(ChannelOption.SO_REUSEADDR, true, ChannelOption.SO_BACKLOG, 1024), server.config().options());
    assertEquals(Map.of(ChannelOption.SO_KEEPALIVE, true), server.config().childOptions());
  }

  @Test
  void aClientKeepsWhatItAskedForThatDiffersFromTheDefault() {
    Bootstrap client = new Bootstrap()
        .option(ChannelOption.SO_KEEPALIVE, false)
        .option(ChannelOption.TCP_NODELAY, false)
        .option(EpollChannelOption.TCP_USER_TIMEOUT, 0)
        .option(EpollChannelOption.TCP_CORK, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
    ChannelOption<Boolean> lookalike = ChannelOption.valueOf("io.tt.test.Option#NOT_TCP_CORK");
    client.option(lookalike, false);
    SocketDefaults.strip(client);
    // TCP_NODELAY off is kept: Netty's channels switch it on, so asking for off must reach the socket.
    // An option whose name only ends like one of them is not touched.
    assertEquals(Map.of(ChannelOption.TCP_NODELAY, false, EpollChannelOption.TCP_CORK, true,
        ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000, lookalike, false), client.config().options());
  }
}
