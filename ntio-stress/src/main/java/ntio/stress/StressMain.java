package ntio.stress;

import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;

/**
 * Runs jcstress with the given options (the same as {@code org.openjdk.jcstress.Main}'s; {@code -h}
 * lists them), grades the result file itself, prints one verdict line, and exits with 1 if any
 * test erred, saw a forbidden outcome, or no test produced a sample at all; with 0 otherwise.
 *
 * <p>jcstress 0.16 has no exit status of its own for failures: they surface as an
 * {@link AssertionError} thrown out of its report printer after the run, and a run that matched no
 * test, or ran none, passes silently. Grading here makes the verdict explicit on both counts.
 */
public final class StressMain {

  private StressMain() {}

  /** Runs, judges, exits. */
  public static void main(String[] args) throws Exception {
    Options options = new Options(args);
    if (!options.parse()) {
      System.exit(2);
    }
    JCStress jcstress = new JCStress(options);
    if (options.shouldList()) {
      jcstress.getTests().forEach(System.out::println);
      return;
    }
    if (!options.shouldParse()) {
      try {
        jcstress.run();
      } catch (AssertionError failures) {
        // jcstress's report of failed tests (printed already); the grading below names them.
      }
    }
    InProcessCollector collector = new InProcessCollector();
    DiskReadCollector reader = new DiskReadCollector(options.getResultFile(), collector);
    try {
      reader.dump();
    } finally {
      reader.close();
    }
    List<String> failures = new ArrayList<>();
    List<TestResult> results = ReportUtils.mergedByName(collector.getTestResults());
    long samples = 0;
    for (TestResult result : results) {
      samples += result.getTotalCount();
      if (!ReportUtils.statusToPassed(result)) {
        failures.add(result.getName() + ": " + ReportUtils.statusToLabel(result) + " " + result.grading().failureMessages
            + " " + result.getMessages());
      }
    }
    if (results.isEmpty() || samples == 0) {
      failures.add("no test ran (filter " + options.getTestFilter() + "), or none produced a sample");
    }
    if (failures.isEmpty()) {
      System.out.println("ntio-stress: " + results.size() + " test(s) passed, " + samples + " samples");
      System.exit(0);
    }
    System.out.println("ntio-stress: FAILED");
    failures.forEach(failure -> System.out.println("  " + failure));
    System.exit(1);
  }
}
