package io.tt.common.crypto;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs {@link AeadImplementationsTest} in this JVM and prints how libsodium was called and the summary; exits 0 only
 * when every test ran and passed. {@link ForeignDowncallsTest} starts it on a JDK newer than the build's.
 */
public final class CipherTestsOnThisJvm {

  private CipherTestsOnThisJvm() {
  }

  public static void main(String[] args) {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(AeadImplementationsTest.class))
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    PrintWriter out = new PrintWriter(System.out, true);
    summary.printFailuresTo(out, 20);
    out.printf("java=%d calls=%s found=%d succeeded=%d failed=%d skipped=%d%n", Runtime.version().feature(),
        Sodium.CALLS, summary.getTestsFoundCount(), summary.getTestsSucceededCount(),
        summary.getTotalFailureCount(), summary.getTestsSkippedCount() + summary.getTestsAbortedCount());
    boolean allPassed = summary.getTestsFoundCount() > 0
        && summary.getTestsSucceededCount() == summary.getTestsFoundCount();
    System.exit(allPassed ? 0 : 1);
  }
}
