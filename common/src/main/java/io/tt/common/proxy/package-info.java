/**
 * Parsing of the client's local proxy protocols, SOCKS5 (RFC 1928/1929) and HTTP proxy (RFC 9110/9112), served on
 * one port. Pure logic over Netty {@link io.netty.buffer.ByteBuf}s: no sockets, no Vert.x, no threads.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.tt.common.proxy.ProxyHandshake}: one per accepted connection; {@code feed(ByteBuf)} returns a
 *       {@link io.tt.common.proxy.HandshakeResult}: {@code NeedMore}, {@code Reply} (write, keep reading),
 *       {@code Fail} (write, close) or {@code Connect} (open a tunnel; success/failure replies; leftover bytes).</li>
 *   <li>{@link io.tt.common.proxy.ProxyAuth}: none, or one user/password for both protocols.</li>
 *   <li>{@link io.tt.common.proxy.ConnectFailure}: classifies a failed tunnel for the failure reply.</li>
 *   <li>{@code socks5}: one class per RFC 1928/1929 message, each with {@code encode} and {@code decode}.</li>
 *   <li>{@code http}: request/response framers for keep-alive absolute-form proxying, error responses.</li>
 * </ul>
 *
 * <h2>Handler sketch (client-verticle)</h2>
 * <pre>{@code
 * // wrap = BufferInternal::buffer, unwrap = b -> ((BufferInternal) b).getByteBuf()  (io.vertx.core.internal.buffer)
 * ProxyHandshake hs = new ProxyHandshake(auth);                 // per connection
 * socket.handler(buf -> {                                        // until the handshake ends
 *   HandshakeResult r = hs.feed(unwrap(buf));
 *   if (r instanceof HandshakeResult.Reply reply) socket.write(wrap(reply.bytes()));
 *   else if (r instanceof HandshakeResult.Fail fail) socket.end(wrap(fail.bytes()));
 *   else if (r instanceof HandshakeResult.Connect c) {
 *     socket.pause();
 *     tunnels.open(c.target()).onComplete(ar -> {
 *       if (ar.failed()) { socket.end(wrap(c.failureReply(ConnectFailure.classify(ar.cause())))); return; }
 *       Tunnel t = ar.result();
 *       socket.write(wrap(c.successReply()));                   // SOCKS5 reply / "200 Connection established"
 *       if (c.mode() != Connect.Mode.HTTP_FORWARD) {            // opaque from here on: this package is done
 *         t.write(wrap(c.leftover())); relay(socket, t);        // pipeTo both ways, no parsing, no copies
 *       } else {                                                // keep-alive proxying, see below
 *         t.write(wrap(c.toTarget())); forward(socket, t, c.requestFramer(), c.leftover());
 *       }
 *       socket.resume();
 *     });
 *   }
 * });
 * }</pre>
 *
 * <h2>Absolute-form (HTTP_FORWARD) sessions</h2>
 * Client-to-origin bytes go through {@link io.tt.common.proxy.http.HttpRequestFramer#next}, one event at a time,
 * until it returns {@code NeedMore}: {@code RequestHead} (if {@code newTarget}, wait until the response framer is
 * {@code idle()}, then switch tunnels; call {@code expectResponseTo(request)}; write {@code headForOrigin()}),
 * {@code BodyPart} (write {@code bytes()}), {@code Failed} (write {@code response()}, close). The first request's
 * head was the {@code Connect} itself: call {@code expectResponseTo(c.request())} before writing it.
 * Origin-to-client bytes go through {@link io.tt.common.proxy.http.HttpResponseFramer#next}: write each
 * {@code ResponseHead}/{@code BodyPart}'s bytes; after a complete response with {@code originCloses}, the tunnel
 * is done (open a new one for the next request); after an {@code untilClose} body, close the client too.
 * A {@code RequestHead} whose request {@code isConnect()} may also arrive mid-stream: once the response framer is
 * idle, open that tunnel, write {@code HttpProxyResponses.connectionEstablished()}, and from then on the framer
 * hands every byte through as a {@code BodyPart} (or stop using it and relay raw).
 *
 * <h2>Buffers</h2>
 * {@code feed} copies its input (the handshake is small); results own unpooled heap buffers (release optional).
 * Framer {@code BodyPart}s and response heads are non-retained slices of the caller's input: zero copy on the
 * keep-alive path; write them before that input is released. Vert.x socket buffers are unpooled heap copies, so
 * with Vert.x nothing needs doing.
 *
 * <h2>Secrets</h2>
 * Passwords (RFC 1929 fields, Basic tokens) never appear in a {@code toString()}, an exception message or a
 * {@code Fail} reason; {@link io.tt.common.proxy.ProxyAuth} keeps only digests.
 */
package io.tt.common.proxy;
