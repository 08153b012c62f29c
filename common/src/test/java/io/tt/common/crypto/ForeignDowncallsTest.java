package io.tt.common.crypto;

import io.tt.common.testing.TestsOnThisJvm;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * libsodium and libgcrypt are called through the Foreign Function API on JDK 22+ and through JNA before: the build runs on the
 * oldest supported JDK, so the cipher tests are run once more on the newest installed one (bin/tt's choice), where
 * the downcalls serve, and must all pass there too.
 */
class ForeignDowncallsTest {

  @Test
  void thisJvmUsesDowncallsExactlyWhenItHasTheApi() {
    Assumptions.assumeTrue(Sodium.AVAILABLE, "libsodium not installed (apt-get install libsodium23)");
    boolean wanted = Runtime.version().feature() >= 22 && !"jna".equals(System.getProperty("tt.native.calls"));
    assertEquals(wanted ? "ffm" : "jna", Sodium.CALLS);
    if (Gcrypt.AVAILABLE) {
      assertEquals(wanted ? "ffm" : "jna", Gcrypt.CALLS, "libgcrypt's calls too");
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void cipherTestsPassOnTheNewestJdkThroughDowncalls(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Sodium.AVAILABLE, "libsodium not installed (apt-get install libsodium23)");
    // The test above, run there too, asserts that libsodium is called through downcalls in that JVM.
    TestsOnThisJvm.runOnNewestJdk(dir, AeadImplementationsTest.class.getName(), GcryptAeadTest.class.getName(),
        ForeignDowncallsTest.class.getName() + "#thisJvmUsesDowncallsExactlyWhenItHasTheApi");
  }
}
