package io.tt.common.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Tests of code that only a newer JDK than the build's exercises (Foreign Function API paths): {@link #runOnNewestJdk}
 * starts this class's {@link #main} on the newest installed JDK, which runs the named tests there and exits 0 only
 * when every one ran (none skipped) and passed.
 */
public final class TestsOnThisJvm {

  private TestsOnThisJvm() {
  }

  /**
   * Runs {@code selectors} ("a.b.SomeTest" or "a.b.SomeTest#method") in a JVM of the newest JDK of at least
   * version 22 under /usr/lib/jvm, with bin/tt's flags, and asserts that every one ran and passed there; skips the
   * calling test, saying so, where no such JDK is installed.
   */
  public static void runOnNewestJdk(Path dir, String... selectors) throws Exception {
    Path java = InstalledJdks.newest(22);
    Assumptions.assumeTrue(java != null, "no JDK 22 or newer under /usr/lib/jvm: " + String.join(", ", selectors)
        + " not run where the Foreign Function API serves");
    List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
        TestsOnThisJvm.class.getName()));
    command.addAll(Arrays.asList(selectors));
    Path log = dir.resolve("child.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = p.waitFor(2, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly().waitFor();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(finished, "the child JVM finished within 2 minutes:\n" + out);
    assertEquals(0, p.exitValue(), "every test ran and passed on " + java + ":\n" + out);
  }

  public static void main(String[] selectors) {
    List<DiscoverySelector> selected = Arrays.stream(selectors)
        .map(s -> s.contains("#") ? (DiscoverySelector) selectMethod(s) : selectClass(s)).toList();
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selected).build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    summary.printFailuresTo(out, 20);
    long skipped = summary.getTestsSkippedCount() + summary.getTestsAbortedCount();
    out.printf("java=%d found=%d succeeded=%d failed=%d skipped=%d%n", Runtime.version().feature(),
        summary.getTestsFoundCount(), summary.getTestsSucceededCount(), summary.getTotalFailureCount(), skipped);
    boolean allPassed = summary.getTestsFoundCount() > 0
        && summary.getTestsSucceededCount() == summary.getTestsFoundCount();
    System.exit(allPassed ? 0 : 1);
  }
}
