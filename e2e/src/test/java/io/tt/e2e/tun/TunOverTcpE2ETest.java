package io.tt.e2e.tun;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** TUN mode over a TCP tunnel stream, end to end. */
class TunOverTcpE2ETest extends TunModeE2ETest {

  @Override
  String proto() {
    return "TCP";
  }

  /** One stream carried everything so far: it outlived the port it was opened on, as tunnels do. */
  @Override
  void assertJumpsFollowed() {
    assertFalse(bed.client(0).process().output().contains("ended; dialling"),
        "the stream should not have dropped:\n" + bed.client(0).process().output());
  }
}
