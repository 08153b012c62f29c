package io.tt.common.proxy.socks5;

/**
 * Input that is not a well-formed SOCKS5 message. Carries the reply code a server should answer with when the
 * message kind has one (only requests do), else {@code null}. The message is a fixed text, never input bytes.
 * No stack trace: this is an expected outcome of hostile input, not a bug.
 */
public final class Socks5DecoderException extends RuntimeException {

  private final transient Socks5ReplyCode replyCode;

  public Socks5DecoderException(String reason, Socks5ReplyCode replyCode) {
    super(reason, null, false, false);
    this.replyCode = replyCode;
  }

  /** The SOCKS5 reply to send before closing, or {@code null} if none applies. */
  public Socks5ReplyCode replyCode() {
    return replyCode;
  }
}
