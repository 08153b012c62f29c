package io.tt.common.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tt.common.proxy.ProxyAuth;
import io.tt.common.proxy.TargetAddress;

import java.util.List;

/**
 * One request received by the HTTP proxy, judged: where it goes, how its body is framed, whether the client keeps
 * its connection, and for absolute-form requests the head to send to the origin.
 *
 * <p>Host policy: for absolute-form the URI's authority wins. The received Host field (if any, even if different)
 * is dropped and a new one made from the URI (RFC 9112 section 3.2.2); a missing Host is tolerated since one is
 * generated anyway; more than one Host field is refused (400). CONNECT ignores Host.
 */
public final class HttpProxyRequest {

  public enum Kind {
    /** {@code CONNECT host:port}: after a 200, the connection is an opaque tunnel. */
    CONNECT,
    /** Absolute-form request: forwarded to the origin with {@link #headForOrigin()}, body verbatim. */
    FORWARD
  }

  private final Kind kind;
  private final String method;
  private final TargetAddress target;
  private final int minorVersion;
  private final boolean keepAlive;
  private final HttpBodyFraming body;
  private final byte[] headForOrigin;

  private HttpProxyRequest(Kind kind, String method, TargetAddress target, int minorVersion, boolean keepAlive,
                           HttpBodyFraming body, byte[] headForOrigin) {
    this.kind = kind;
    this.method = method;
    this.target = target;
    this.minorVersion = minorVersion;
    this.keepAlive = keepAlive;
    this.body = body;
    this.headForOrigin = headForOrigin;
  }

  /**
   * Judges a parsed head. Order: authentication (407), then target (400, 405), then framing (400), so a client
   * without credentials learns nothing else.
   *
   * @throws HttpRejection with the status to answer
   */
  static HttpProxyRequest of(HttpRequestHead head, ProxyAuth auth) {
    if (!HttpBasicAuth.accepts(auth, head.fields())) {
      throw new HttpRejection(407, "proxy authentication missing or wrong");
    }
    String method = head.method();
    if (method.equals("CONNECT")) {
      TargetAddress target = HttpRequestTarget.parseAuthorityForm(head.target());
      return new HttpProxyRequest(Kind.CONNECT, method, target, head.minorVersion(), false, HttpBodyFraming.NONE,
          new byte[0]);
    }
    String rawTarget = head.target();
    if (rawTarget.equals("*")) {
      throw new HttpRejection(405, "asterisk-form request to the proxy");
    }
    if (rawTarget.startsWith("/")) {
      throw new HttpRejection(400, "origin-form request sent to a proxy");
    }
    HttpRequestTarget.Absolute absolute = HttpRequestTarget.parseAbsoluteForm(rawTarget, method.equals("OPTIONS"));
    if (head.fields().count("host") > 1) {
      throw new HttpRejection(400, "more than one Host field");
    }
    HttpBodyFraming body = HttpBodyFraming.forRequest(head.fields(), head.minorVersion());
    boolean keepAlive = wantsKeepAlive(head);
    byte[] rewritten = HttpRequestRewriter.rewrite(head, absolute, keepAlive);
    return new HttpProxyRequest(Kind.FORWARD, method, absolute.address(), head.minorVersion(), keepAlive, body,
        rewritten);
  }

  /** HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive". Old clients say it in Proxy-Connection. */
  private static boolean wantsKeepAlive(HttpRequestHead head) {
    List<String> options = head.fields().tokens("connection");
    options.addAll(head.fields().tokens("proxy-connection"));
    if (options.contains("close")) {
      return false;
    }
    return head.minorVersion() >= 1 || options.contains("keep-alive");
  }

  public Kind kind() {
    return kind;
  }

  public boolean isConnect() {
    return kind == Kind.CONNECT;
  }

  public String method() {
    return method;
  }

  /** A response to HEAD has no body whatever its fields say; the response framer needs to know. */
  public boolean isHead() {
    return method.equals("HEAD");
  }

  public TargetAddress target() {
    return target;
  }

  public int minorVersion() {
    return minorVersion;
  }

  /** Whether the client's connection may carry another request after this one. */
  public boolean keepAlive() {
    return keepAlive;
  }

  public HttpBodyFraming body() {
    return body;
  }

  /** The rewritten head to send to the origin (FORWARD; empty for CONNECT): a new read-only view each call. */
  public ByteBuf headForOrigin() {
    return Unpooled.wrappedBuffer(headForOrigin).asReadOnly();
  }

  /** Method and host:port only; paths and fields stay out of logs. */
  @Override
  public String toString() {
    return "HttpProxyRequest[" + method + " " + target + "]";
  }
}
