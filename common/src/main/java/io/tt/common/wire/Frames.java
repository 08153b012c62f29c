package io.tt.common.wire;

import io.tt.common.crypto.Aead;

/** Sizes of the stream framing (PROTOCOL.md section 4). */
public final class Frames {

  public static final int SALT_LENGTH = 32;
  /** Sealed header: payload length (2) + padding length (1) + tag. */
  public static final int HEADER_PLAIN = 3;
  public static final int HEADER_SEALED = HEADER_PLAIN + Aead.TAG;
  public static final int MAX_PAYLOAD = 0xFFFF;
  public static final int MAX_PADDING = Padding.MAX;
  public static final int MAX_BODY_SEALED = MAX_PAYLOAD + MAX_PADDING + Aead.TAG;
  /** What the server reads before it decides whether a connection is TT: salt + first sealed header. */
  public static final int FIRST_READ = SALT_LENGTH + HEADER_SEALED;
  /** Overhead of one frame besides payload and padding. */
  public static final int FRAME_OVERHEAD = HEADER_SEALED + Aead.TAG;
  /** Sealed header of a mux frame (section 5.3): the above plus type (1) and stream (4). */
  public static final int MUX_HEADER_PLAIN = HEADER_PLAIN + 5;
  public static final int MUX_HEADER_SEALED = MUX_HEADER_PLAIN + Aead.TAG;
  /** Overhead of one mux frame besides payload and padding. */
  public static final int MUX_FRAME_OVERHEAD = MUX_HEADER_SEALED + Aead.TAG;

  private Frames() {
  }
}
