package io.tt.common.wire;

/** Remembers the salts of recent sessions so a replayed first frame is refused (PROTOCOL.md section 6). */
public interface ReplayFilter {

  enum Verdict {
    /** Not seen inside the window; now recorded. */
    FRESH,
    /** Seen before inside the window. */
    REPLAY,
    /** The store is at its cap: refuse rather than forget (forgetting would let a replay through). */
    FULL
  }

  Verdict checkAndRecord(byte[] salt, long nowMillis);

  /** Number of salts held now. */
  int size();
}
