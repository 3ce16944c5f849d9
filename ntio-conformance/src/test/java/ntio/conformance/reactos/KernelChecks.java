package ntio.conformance.reactos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import ntio.conformance.KernelResults;

/**
 * The JUnit side of {@link KmtChecks}: the kernel checks one upstream function made at one call
 * site, picked out of a suite's {@link KernelResults} by the name prefix the driver gave them.
 */
final class KernelChecks {

  private KernelChecks() {}

  /** The recorded checks whose name starts with {@code prefix}, in the order they were made. */
  static List<KernelResults.Check> named(KernelResults results, String prefix) {
    return results.checks().stream().filter(c -> c.text().startsWith(prefix)).toList();
  }

  /**
   * Asserts that exactly {@code expected} checks were recorded under {@code prefix} (one that never
   * ran fails as surely as one that failed) and that every one passed.
   */
  static void assertPassed(KernelResults results, String prefix, int expected) {
    List<KernelResults.Check> checks = named(results, prefix);
    assertThat(checks.stream().filter(c -> !c.passed()).map(KernelResults.Check::toString))
        .as("failed kernel checks of %s", prefix).isEmpty();
    assertThat(checks).as("kernel checks recorded for %s (all recorded: %s)", prefix,
        results.checks().size()).hasSize(expected);
  }

  /**
   * Runs a client call that may hang on a kernel that deadlocks, so that a hang fails the test
   * instead of stopping the suite.
   */
  static <T> T bounded(String what, Supplier<T> call) {
    CompletableFuture<T> future = CompletableFuture.supplyAsync(call);
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not return within 30 s", e);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " threw", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(what + " was interrupted", e);
    }
  }
}
