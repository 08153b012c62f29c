package io.tt.common.net;

import io.tt.common.testing.InstalledJdks;
import io.tt.common.testing.TestsOnThisJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    Path java = InstalledJdks.newest(22);
    Assumptions.assumeTrue(java != null, "no JDK 22 or newer under /usr/lib/jvm: heap sends are not tested");
    List<String> command = List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        TestsOnThisJvm.class.getName(), HeapSendTest.class.getName());
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(2, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "the child JVM finished within 2 minutes:\n" + out);
    assertTrue(out.contains("skipped=0"), "every test ran there:\n" + out);
    assertEquals(0, p.exitValue(), "every heap send test passed on " + java + ":\n" + out);
  }
}
