package ntio.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;

/**
 * Runs jcstress with the given options (the same as {@code org.openjdk.jcstress.Main}'s; {@code -h}
 * lists them), grades the result file itself, prints a verdict with each test's sample count, and
 * exits with 1 if any test erred or saw a forbidden outcome, if the run matched no test, or if a
 * test it selected produced no sample; with 0 otherwise.
 *
 * <p>jcstress 0.16 has no exit status of its own for failures: they surface as an
 * {@link AssertionError} thrown out of its report printer after the run, and a run that matched no
 * test, or ran none, passes silently. Grading here makes the verdict explicit on both counts. With
 * {@code -p} (grade an earlier result file) only the tests in the file are graded.
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
    SortedSet<String> selected = options.shouldParse() ? new TreeSet<>() : jcstress.getTests();
    if (!options.shouldParse() && selected.isEmpty()) {
      // jcstress would run nothing and write no result file to grade.
      System.out.println("ntio-stress: FAILED; no test matches the filter " + options.getTestFilter());
      System.exit(1);
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
    List<String> counts = new ArrayList<>();
    List<TestResult> results = ReportUtils.mergedByName(collector.getTestResults());
    Set<String> ran = new TreeSet<>();
    for (TestResult result : results) {
      ran.add(result.getName());
      counts.add(result.getName() + " " + result.getTotalCount());
      if (!ReportUtils.statusToPassed(result)) {
        failures.add(result.getName() + ": " + ReportUtils.statusToLabel(result) + " " + result.grading().failureMessages
            + " " + result.getMessages());
      } else if (result.getTotalCount() == 0) {
        failures.add(result.getName() + ": no sample");
      }
    }
    for (String test : selected) {
      if (!ran.contains(test)) {
        failures.add(test + ": selected, but no result");
      }
    }
    if (results.isEmpty()) {
      failures.add("no test ran (filter " + options.getTestFilter() + ")");
    }
    if (failures.isEmpty()) {
      System.out.println("ntio-stress: " + results.size() + " test(s) passed; samples: " + String.join(", ", counts));
      System.exit(0);
    }
    System.out.println("ntio-stress: FAILED; samples: " + String.join(", ", counts));
    failures.forEach(failure -> System.out.println("  " + failure));
    System.exit(1);
  }
}
