package io.tt.common.net;

import io.tt.common.testing.TestsOnThisJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Heap sends need JDK 22+ and the build runs on the oldest supported JDK: {@link HeapSendTest} runs again on the
 * newest installed one (bin/tt's choice), where every test of it must run and pass.
 */
class HeapSendOnNewestJdkTest {

  @Test
  void thisJvmSendsFromArraysExactlyWhenItCan() {
    boolean linux = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    assertEquals(linux && Runtime.version().feature() >= 22
        && !"off".equals(System.getProperty("tt.heap.send")), HeapSend.AVAILABLE);
    if (Runtime.version().feature() < 22) {
      assertFalse(HeapSend.describe().startsWith("on"), HeapSend.describe());
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void heapSendTestsPassOnTheNewestJdk(@TempDir Path dir) throws Exception {
    TestsOnThisJvm.runOnNewestJdk(dir, HeapSendTest.class.getName());
  }
}
