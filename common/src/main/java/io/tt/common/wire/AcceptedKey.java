package io.tt.common.wire;

import io.tt.common.crypto.AeadMethod;
import io.tt.common.crypto.MasterKey;

/** One (key, method) pair a server accepts; the server tries each on a new connection's first header. */
public record AcceptedKey(MasterKey key, AeadMethod method) {
}
