package io.tt.client.e2e;

import io.tt.common.schedule.SlotClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --proxy-user: SOCKS5 username/password (RFC 1929) and HTTP Proxy-Authorization, through curl. */
@Timeout(60)
class ProxyLoginTest {

  @Test
  void socks5AndHttpAskForTheLogin() throws Exception {
    Curl.assumeInstalled();
    try (TestOrigin origin = new TestOrigin("127.0.0.1"); TtHarness h = new TtHarness(100, 60, "chacha20-poly1305")) {
      h.clientConfig.put("proxy-user", "alice:s3cret pass");
      h.startServer(SlotClock.SYSTEM).startClient(SlotClock.SYSTEM);
      String url = "http://127.0.0.1:" + origin.port() + "/hello";
      String hello = "hello from 127.0.0.1:" + origin.port();
      String socks = "127.0.0.1:" + h.proxyPort;

      Curl.Result ok = Curl.run(20, "--socks5-hostname", socks, "--proxy-user", "alice:s3cret pass", url);
      assertEquals(hello, ok.stdout(), ok.stderr());
      Curl.Result wrong = Curl.run(20, "--socks5-hostname", socks, "--proxy-user", "alice:nope", url);
      assertNotEquals(0, wrong.exit(), "a wrong SOCKS5 password is refused");
      Curl.Result none = Curl.run(20, "--socks5-hostname", socks, url);
      assertNotEquals(0, none.exit(), "no-auth is not offered when a login is configured");

      Curl.Result httpOk = Curl.run(20, "--proxy", h.httpProxyUrl(), "--proxy-user", "alice:s3cret pass", url);
      assertEquals(hello, httpOk.stdout(), httpOk.stderr());
      Curl.Result httpNone = Curl.run(20, "-i", "--proxy", h.httpProxyUrl(), url);
      assertTrue(httpNone.stdout().startsWith("HTTP/1.1 407"), httpNone.stdout());
      assertTrue(httpNone.stdout().contains("Proxy-Authenticate: Basic realm=\"tt\""), httpNone.stdout());
      Curl.Result connectWrong = Curl.run(20, "-p", "--proxy", h.httpProxyUrl(), "--proxy-user", "alice:nope", url);
      assertNotEquals(0, connectWrong.exit(), "CONNECT with a wrong login is refused");
    }
  }
}
