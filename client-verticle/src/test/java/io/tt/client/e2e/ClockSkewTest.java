package io.tt.client.e2e;

import io.tt.common.schedule.SlotClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Clients whose clock is a slot ahead or behind still connect; much further off they do not. */
@Timeout(120)
class ClockSkewTest {

  static TestOrigin origin;

  @BeforeAll
  static void start() throws Exception {
    Curl.assumeInstalled();
    origin = new TestOrigin("127.0.0.1");
  }

  @AfterAll
  static void stop() throws Exception {
    if (origin != null) {
      origin.close();
    }
  }

  @ParameterizedTest(name = "client clock off by {0} slot(s)")
  @ValueSource(ints = {-1, 1})
  void oneSlotOffStillConnects(int slots) throws Exception {
    try (TtHarness h = new TtHarness(500, 60, "chacha20-poly1305")) {
      h.startServer(SlotClock.SYSTEM).startClient(SlotClock.SYSTEM.shifted(slots * 60_000L));
      long n = 1L << 20;
      Curl.Result r = Curl.sha256(30, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/bytes/" + n);
      assertEquals(0, r.exit(), r.stderr());
      assertEquals(TestOrigin.sha256Of(n), r.stdout());
    }
  }

  @Test
  void fiveSlotsOffDoesNot() throws Exception {
    try (TtHarness h = new TtHarness(500, 60, "chacha20-poly1305")) {
      h.startServer(SlotClock.SYSTEM).startClient(SlotClock.SYSTEM.shifted(-5 * 60_000L));
      Curl.Result r = Curl.run(30, "-x", h.socksUrl(), "http://127.0.0.1:" + origin.port() + "/hello");
      assertNotEquals(0, r.exit(), "a client five slots behind must not get through: " + r.stdout());
    }
  }
}
