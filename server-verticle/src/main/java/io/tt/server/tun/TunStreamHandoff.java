package io.tt.server.tun;

import io.netty.buffer.ByteBuf;
import io.tt.common.wire.AcceptedKey;
import io.tt.common.wire.FrameDecoder;
import io.vertx.core.internal.net.NetSocketInternal;

/**
 * A tunnel stream whose handshake asked for TUN_STREAM, handed over by the connection that authenticated it.
 *
 * @param socket paused; its handlers are replaced by the receiver
 * @param port the server port the stream came in on (the frames' associated data)
 * @param clientSalt the request salt the reply must echo
 * @param decoder the client-to-server frame decoder, positioned after the first frame
 * @param firstData bytes of the first frame after the request head (owned by the receiver; normally empty)
 * @param early further stream bytes that arrived with the handshake, or null (owned by the receiver)
 */
public record TunStreamHandoff(NetSocketInternal socket, int port, AcceptedKey key, byte[] clientSalt,
                               FrameDecoder decoder, ByteBuf firstData, ByteBuf early) {
}
