package io.tt.common.schedule;

/** Wall-clock time in milliseconds; injectable so tests can move time and skew clocks. */
@FunctionalInterface
public interface SlotClock {

  SlotClock SYSTEM = System::currentTimeMillis;

  long millis();

  /** A clock that runs {@code offsetMillis} ahead (negative: behind) of this one. */
  default SlotClock shifted(long offsetMillis) {
    SlotClock base = this;
    return () -> base.millis() + offsetMillis;
  }
}
