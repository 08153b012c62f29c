/**
 * SOCKS5 messages (RFC 1928) and the username/password sub-negotiation (RFC 1929), one class per message, each
 * with {@code encode(ByteBuf)} and a static {@code decode(ByteBuf)} that returns {@code null} without consuming
 * anything until the whole message is there, and throws {@link io.tt.common.proxy.socks5.Socks5DecoderException}
 * (carrying the reply code to send, where one applies) on malformed bytes. Both directions are provided, so the
 * same classes serve the server handshake and test clients.
 */
package io.tt.common.proxy.socks5;
