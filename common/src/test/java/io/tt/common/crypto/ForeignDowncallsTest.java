package io.tt.common.crypto;

import io.tt.common.testing.InstalledJdks;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * libsodium is called through the Foreign Function API on JDK 22+ and through JNA before: the build runs on the
 * oldest supported JDK, so the cipher tests are run once more on the newest installed one (bin/tt's choice), where
 * the downcalls serve, and must all pass there too.
 */
class ForeignDowncallsTest {

  @Test
  void thisJvmUsesDowncallsExactlyWhenItHasTheApi() {
    Assumptions.assumeTrue(Sodium.AVAILABLE, "libsodium not installed (apt-get install libsodium23)");
    boolean wanted = Runtime.version().feature() >= 22 && !"jna".equals(System.getProperty("tt.native.calls"));
    assertEquals(wanted ? "ffm" : "jna", Sodium.CALLS);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void cipherTestsPassOnTheNewestJdkThroughDowncalls(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Sodium.AVAILABLE, "libsodium not installed (apt-get install libsodium23)");
    Path java = InstalledJdks.newest(22);
    Assumptions.assumeTrue(java != null, "no JDK 22 or newer under /usr/lib/jvm: the downcall path is not tested");
    List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        CipherTestsOnThisJvm.class.getName()));
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(2, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "the child JVM finished within 2 minutes:\n" + out);
    assertTrue(out.contains("calls=ffm"), "libsodium called through downcalls there:\n" + out);
    assertEquals(0, p.exitValue(), "every cipher test passed on " + java + ":\n" + out);
  }
}
