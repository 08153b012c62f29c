package io.tt.common.proxy;

import io.netty.buffer.ByteBuf;
import io.tt.common.proxy.http.HttpLimits;
import io.tt.common.proxy.http.HttpProxyRequest;
import io.tt.common.proxy.http.HttpRequestFramer;

/**
 * HTTP side of the handshake: runs the request framer until the first request head, then hands that framer over
 * (absolute-form) or drops it (CONNECT, after which the stream is opaque).
 */
final class HttpHandshake {

  private final HttpRequestFramer framer;

  HttpHandshake(ProxyAuth auth, HttpLimits limits) {
    this.framer = new HttpRequestFramer(auth, limits);
  }

  /** Never throws on input. */
  HandshakeResult advance(ByteBuf in) {
    HttpRequestFramer.Event event = framer.next(in);
    if (event instanceof HttpRequestFramer.Failed failed) {
      return new HandshakeResult.Fail(failed.response(), "HTTP " + failed.status() + " " + failed.reason());
    }
    if (event instanceof HttpRequestFramer.RequestHead head) {
      HttpProxyRequest request = head.request();
      ByteBuf leftover = in.readSlice(in.readableBytes());
      return request.isConnect()
          ? HandshakeResult.Connect.httpConnect(request, leftover)
          : HandshakeResult.Connect.httpForward(request, framer, leftover);
    }
    // The framer starts in its head state, so the only other event is NeedMore.
    return HandshakeResult.NeedMore.INSTANCE;
  }
}
