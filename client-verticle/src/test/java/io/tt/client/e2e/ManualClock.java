package io.tt.client.e2e;

import io.tt.common.schedule.SlotClock;

import java.util.concurrent.atomic.AtomicLong;

/** Real time plus an offset the test moves: a port schedule can be pushed forward on demand. */
public final class ManualClock implements SlotClock {

  private final AtomicLong offset = new AtomicLong();

  public ManualClock(long initialOffsetMillis) {
    offset.set(initialOffsetMillis);
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offset.get();
  }

  public void advance(long millis) {
    offset.addAndGet(millis);
  }
}
