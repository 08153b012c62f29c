package io.tt.common.testing;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.util.Arrays;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs the named test classes in this JVM, prints the summary and exits 0 only when every test ran (none skipped)
 * and passed: for tests of code that only a newer JDK than the build's exercises, started on that JDK.
 */
public final class TestsOnThisJvm {

  private TestsOnThisJvm() {
  }

  public static void main(String[] classNames) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(Arrays.stream(classNames).map(n -> selectClass(n)).toList())
        .build();
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
