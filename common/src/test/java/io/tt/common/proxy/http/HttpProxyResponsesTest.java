package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.tt.common.proxy.Bytes;
import io.tt.common.proxy.ConnectFailure;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpProxyResponsesTest {

  @Test
  void connectionEstablishedExactBytes() {
    assertEquals("HTTP/1.1 200 Connection established\r\n\r\n", Bytes.text(HttpProxyResponses.connectionEstablished()));
  }

  @Test
  void proxyAuthenticationRequiredExactBytes() {
    assertEquals("HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"tt\"\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n"
            + "Content-Length: 34\r\n"
            + "Connection: close\r\n\r\n"
            + "407 Proxy Authentication Required\n",
        Bytes.text(HttpProxyResponses.proxyAuthenticationRequired()));
  }

  @Test
  void everyErrorIsACompleteClosingResponseWithItsLength() {
    int[] statuses = {400, 403, 405, 407, 414, 431, 502, 504, 505};
    for (int status : statuses) {
      String r = Bytes.text(HttpProxyResponses.error(status));
      assertTrue(r.startsWith("HTTP/1.1 " + status + " "), r);
      int end = r.indexOf("\r\n\r\n");
      String head = r.substring(0, end + 2);
      String body = r.substring(end + 4);
      assertTrue(head.contains("\r\nConnection: close\r\n"), r);
      assertTrue(head.contains("\r\nContent-Length: " + body.length() + "\r\n"), r);
      assertTrue(body.startsWith(String.valueOf(status)), r);
    }
    assertTrue(Bytes.text(HttpProxyResponses.error(405)).contains("\r\nAllow: "));
    assertEquals(Bytes.text(HttpProxyResponses.badRequest()), Bytes.text(HttpProxyResponses.error(418)));
    assertTrue(Bytes.text(HttpProxyResponses.badGateway()).startsWith("HTTP/1.1 502 Bad Gateway\r\n"));
    assertTrue(Bytes.text(HttpProxyResponses.gatewayTimeout()).startsWith("HTTP/1.1 504 Gateway Timeout\r\n"));
    assertTrue(Bytes.text(HttpProxyResponses.forFailure(ConnectFailure.TIMEOUT)).startsWith("HTTP/1.1 504 "));
    assertTrue(Bytes.text(HttpProxyResponses.forFailure(ConnectFailure.REFUSED)).startsWith("HTTP/1.1 502 "));
  }

  @Test
  void viewsAreReadOnlyAndIndependent() {
    ByteBuf a = HttpProxyResponses.badRequest();
    assertThrows(java.nio.ReadOnlyBufferException.class, () -> a.setByte(0, 'X'));
    a.skipBytes(5);
    assertTrue(Bytes.text(HttpProxyResponses.badRequest()).startsWith("HTTP/1.1"));
  }
}
