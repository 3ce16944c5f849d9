package ntio.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Runs one scale curve and writes its results as {@code <out>/<curve>.csv} ({@link ScalePoint}):
 * how the cost of ntio grows with the number of service keys, auto-start drivers, loaded drivers,
 * device objects or open handles.
 *
 * <pre>
 * java -Xms1g -Xmx1g -XX:+UseG1GC -cp benchmarks.jar ntio.bench.scale.ScaleCurves CURVE
 *     [--out DIR] [--sizes N,N,...] [--reps R] [--no-warm-up]
 * </pre>
 *
 * <p>CURVE is {@code services}, {@code autostart}, {@code drivers}, {@code devices} or {@code
 * handles}; {@code scale.sh} runs each in a JVM of its own (as JMH forks), then {@link ScaleReport}.
 *
 * <p><b>Why a plain {@code main} and not JMH.</b> A point of these curves is one batch of N
 * operations on a kernel that has been brought to size N first: a hive of 10,000 keys, 100,000
 * device objects, a process holding 100,000 handles. The time of the batch over N is the figure
 * — what JMH's {@code SingleShotTime} with a batch size per parameter would report — but the
 * set-up and tear-down of each batch cost more than the batch, must not be timed, and differ per
 * curve in ways JMH's {@code Level.Invocation} fixtures would time-skew or forbid (a boot is itself
 * the operation of the services curve). The memory figures need a full collection and a heap
 * reading around the batch, with nothing of the harness allocated in between, which JMH's GC
 * profiler does not give (it reports allocation rates, not retained bytes). And a fork per size
 * and figure would not fit the seven-minute budget on two cores. So each curve runs its own loop:
 *
 * <ul>
 *   <li><b>warm-up</b>: the same batches at a middling size, several times, unrecorded, so that
 *       the smallest size is measured on compiled code as the largest is (JIT, class loading,
 *       caches);
 *   <li><b>repetitions</b>: each size measured {@code --reps} times (3 by default, 5 for the
 *       host curves); the point is the median, and the report shows the spread;
 *   <li><b>isolation</b>: one curve per JVM, with a fixed heap ({@code -Xms = -Xmx}) and G1, as the
 *       JMH benchmarks of this module run.
 * </ul>
 */
public final class ScaleCurves {

  /** Each curve's sizes when {@code --sizes} is not given: the published plan. */
  static final Map<String, List<Integer>> DEFAULT_SIZES = Map.of(
      ServiceCurve.SERVICES, List.of(0, 10, 100, 1_000, 3_000, 10_000),
      ServiceCurve.AUTOSTART, List.of(0, 10, 100, 1_000),
      DriverCurve.CURVE, List.of(10, 100, 1_000),
      DeviceCurve.CURVE, List.of(1_000, 10_000, 100_000),
      HandleCurve.CURVE, List.of(1_000, 10_000, 100_000));

  /**
   * Repetitions of each size when {@code --reps} is not given: more for the curves whose figures
   * are differences of totals with a large fixed cost (a host's start, the command line's set-up).
   */
  static final Map<String, Integer> DEFAULT_REPETITIONS = Map.of(
      ServiceCurve.SERVICES, 5,
      ServiceCurve.AUTOSTART, 5,
      DriverCurve.CURVE, 3,
      DeviceCurve.CURVE, 3,
      HandleCurve.CURVE, 3);

  private ScaleCurves() {}

  /** See the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    String curve = null;
    Path out = Path.of("target", "scale");
    List<Integer> sizes = null;
    Integer reps = null;
    boolean warmUp = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--no-warm-up" -> warmUp = false;
        default -> {
          if (curve != null || args[i].startsWith("-")) {
            usage("unexpected argument " + args[i]);
          }
          curve = args[i];
        }
      }
    }
    if (curve == null || !DEFAULT_SIZES.containsKey(curve)) {
      usage(curve == null ? "no curve named" : "no curve " + curve);
      return;
    }
    HeapProbe.check();
    ScalePlan plan = new ScalePlan(sizes != null ? sizes : DEFAULT_SIZES.get(curve),
        reps != null ? reps : DEFAULT_REPETITIONS.get(curve), warmUp, System.out);
    long start = System.nanoTime();
    List<ScalePoint> points = run(curve, plan);
    Path file = out.resolve(curve + ".csv");
    ScalePoint.write(file, points);
    plan.say("%s: %d points in %s (%.1f s)", curve, points.size(), file, (System.nanoTime() - start) / 1e9);
  }

  /** Runs one curve. */
  static List<ScalePoint> run(String curve, ScalePlan plan) throws IOException {
    return switch (curve) {
      case ServiceCurve.SERVICES -> ServiceCurve.services(plan);
      case ServiceCurve.AUTOSTART -> ServiceCurve.autoStart(plan);
      case DriverCurve.CURVE -> DriverCurve.run(plan);
      case DeviceCurve.CURVE -> DeviceCurve.run(plan);
      case HandleCurve.CURVE -> HandleCurve.run(plan);
      default -> throw new IllegalArgumentException("no curve " + curve);
    };
  }

  /** The curves, in the order {@code scale.sh} runs them. */
  static List<String> curves() {
    return new ArrayList<>(ScaleMetric.curves());
  }

  private static void usage(String why) {
    PrintStream err = System.err;
    err.println("ScaleCurves: " + why);
    err.println("usage: ScaleCurves CURVE [--out DIR] [--sizes N,N,...] [--reps R] [--no-warm-up]");
    err.println("CURVE: " + String.join(", ", curves()));
    System.exit(2);
  }
}
