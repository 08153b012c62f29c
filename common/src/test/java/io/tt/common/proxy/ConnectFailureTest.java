package io.tt.common.proxy;

import io.netty.channel.ConnectTimeoutException;
import io.tt.common.proxy.http.HttpProxyResponses;
import io.tt.common.proxy.socks5.Socks5ReplyCode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectFailureTest {

  @Test
  void classifiesJdkAndNettyExceptions() {
    assertEquals(ConnectFailure.REFUSED, ConnectFailure.classify(new ConnectException("Connection refused")));
    // Netty epoll: NativeConnectException extends ConnectException, errno text in the message
    assertEquals(ConnectFailure.REFUSED,
        ConnectFailure.classify(new ConnectException("connect(..) failed: Connection refused: /127.0.0.1:1")));
    assertEquals(ConnectFailure.NETWORK_UNREACHABLE,
        ConnectFailure.classify(new ConnectException("connect(..) failed: Network is unreachable")));
    assertEquals(ConnectFailure.NETWORK_UNREACHABLE,
        ConnectFailure.classify(new SocketException("Network is unreachable")));
    assertEquals(ConnectFailure.HOST_UNREACHABLE,
        ConnectFailure.classify(new ConnectException("connect(..) failed: No route to host")));
    assertEquals(ConnectFailure.HOST_UNREACHABLE, ConnectFailure.classify(new NoRouteToHostException("x")));
    assertEquals(ConnectFailure.HOST_UNREACHABLE, ConnectFailure.classify(new UnknownHostException("nx.invalid")));
    assertEquals(ConnectFailure.TIMEOUT, ConnectFailure.classify(new ConnectTimeoutException("connection timed out")));
    assertEquals(ConnectFailure.TIMEOUT, ConnectFailure.classify(new ConnectException("Connection timed out")));
    assertEquals(ConnectFailure.TIMEOUT, ConnectFailure.classify(new SocketTimeoutException()));
    assertEquals(ConnectFailure.TIMEOUT, ConnectFailure.classify(new TimeoutException()));
    assertEquals(ConnectFailure.GENERAL, ConnectFailure.classify(new IOException("something else")));
    assertEquals(ConnectFailure.GENERAL, ConnectFailure.classify(new IllegalStateException()));
  }

  @Test
  void looksThroughCausesAndSurvivesCycles() {
    assertEquals(ConnectFailure.REFUSED,
        ConnectFailure.classify(new RuntimeException("wrapped", new ConnectException("Connection refused"))));
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b");
    a.initCause(b);
    b.initCause(a);
    assertEquals(ConnectFailure.GENERAL, ConnectFailure.classify(a));
  }

  @Test
  void mapsToSocks5ReplyCodes() {
    assertEquals(0x05, Socks5ReplyCode.of(ConnectFailure.REFUSED).code());
    assertEquals(0x04, Socks5ReplyCode.of(ConnectFailure.HOST_UNREACHABLE).code());
    assertEquals(0x03, Socks5ReplyCode.of(ConnectFailure.NETWORK_UNREACHABLE).code());
    assertEquals(0x06, Socks5ReplyCode.of(ConnectFailure.TIMEOUT).code());
    assertEquals(0x02, Socks5ReplyCode.of(ConnectFailure.NOT_ALLOWED).code());
    assertEquals(0x01, Socks5ReplyCode.of(ConnectFailure.GENERAL).code());
  }

  @Test
  void mapsToHttpStatuses() {
    assertEquals(502, HttpProxyResponses.statusFor(ConnectFailure.REFUSED));
    assertEquals(502, HttpProxyResponses.statusFor(ConnectFailure.HOST_UNREACHABLE));
    assertEquals(502, HttpProxyResponses.statusFor(ConnectFailure.NETWORK_UNREACHABLE));
    assertEquals(502, HttpProxyResponses.statusFor(ConnectFailure.GENERAL));
    assertEquals(504, HttpProxyResponses.statusFor(ConnectFailure.TIMEOUT));
    assertEquals(403, HttpProxyResponses.statusFor(ConnectFailure.NOT_ALLOWED));
  }
}
