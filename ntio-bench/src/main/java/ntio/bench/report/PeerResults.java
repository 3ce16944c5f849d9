package ntio.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The figures of the peer comparison ({@code ntio.bench.peers.PeerCycle} and
 * {@code PeerFirstCycle}) read from JMH's JSON results ({@code -rf json}): for each system and
 * mode, the score, its error, the median and p90, and the bytes allocated per cycle when the GC
 * profiler ran. Times are kept in nanoseconds per cycle whatever unit JMH wrote.
 *
 * <p>Immutable.
 */
public final class PeerResults {

  /** The benchmark class of the warm steady state. */
  public static final String WARM_CLASS = "ntio.bench.peers.PeerCycle";

  /** The benchmark class of the cold first cycle. */
  public static final String COLD_CLASS = "ntio.bench.peers.PeerFirstCycle";

  /** JMH's modes, as its JSON names them. */
  public enum Mode {
    /** {@code avgt}: the mean over all iterations and forks. */
    AVERAGE,
    /** {@code sample}: sampled single cycles, whose percentiles JMH reports. */
    SAMPLE,
    /** {@code ss}: one cycle timed per iteration; here one per fresh JVM. */
    SINGLE_SHOT;

    static Optional<Mode> of(String jmhName) {
      return switch (jmhName) {
        case "avgt" -> Optional.of(AVERAGE);
        case "sample" -> Optional.of(SAMPLE);
        case "ss" -> Optional.of(SINGLE_SHOT);
        default -> Optional.empty();
      };
    }
  }

  /**
   * One benchmark's figures in one mode.
   *
   * @param system the benchmark method, which names the system: {@code floor}, {@code ntio},
   *     {@code ntioVerified}, {@code pf4j}, {@code felix}
   * @param warm whether it is {@link #WARM_CLASS}'s (else {@link #COLD_CLASS}'s)
   * @param mode JMH's mode
   * @param meanNanos the score, in nanoseconds per cycle (the mean, in every mode used here)
   * @param errorNanos JMH's 99.9 % error of the mean, NaN when it has too few iterations to say
   * @param medianNanos the 50th percentile
   * @param p90Nanos the 90th percentile
   * @param runs how many measurements the figures come from: sampled cycles in sample mode,
   *     iterations otherwise (one per JVM in single-shot mode)
   * @param allocatedBytes bytes allocated per cycle ({@code gc.alloc.rate.norm}), NaN without
   *     {@code -prof gc}
   */
  public record Result(String system, boolean warm, Mode mode, double meanNanos, double errorNanos,
      double medianNanos, double p90Nanos, long runs, double allocatedBytes) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Result> results;

  private PeerResults(List<Result> results) {
    this.results = List.copyOf(results);
  }

  /**
   * Reads every result of the two peer benchmark classes in {@code files} (JMH JSON arrays);
   * results of other benchmarks are skipped.
   *
   * @throws IOException if a file cannot be read or is not JSON
   * @throws IllegalArgumentException if a peer result lacks a field JMH always writes, or has a
   *     unit that is not a time per operation
   */
  public static PeerResults read(List<Path> files) throws IOException {
    List<Result> results = new ArrayList<>();
    for (Path file : files) {
      JsonNode root = JSON.readTree(Files.readString(file));
      if (root == null || !root.isArray()) {
        throw new IllegalArgumentException(file + " is not a JMH JSON result (an array)");
      }
      for (JsonNode benchmark : root) {
        parse(benchmark).ifPresent(results::add);
      }
    }
    return new PeerResults(results);
  }

  private static Optional<Result> parse(JsonNode benchmark) {
    String name = required(benchmark, "benchmark").asText();
    int dot = name.lastIndexOf('.');
    String benchmarkClass = dot < 0 ? "" : name.substring(0, dot);
    boolean warm = benchmarkClass.equals(WARM_CLASS);
    if (!warm && !benchmarkClass.equals(COLD_CLASS)) {
      return Optional.empty();
    }
    Optional<Mode> mode = Mode.of(required(benchmark, "mode").asText());
    if (mode.isEmpty()) {
      return Optional.empty();
    }
    JsonNode primary = required(benchmark, "primaryMetric");
    double perUnit = nanosPer(required(primary, "scoreUnit").asText(), name);
    JsonNode percentiles = required(primary, "scorePercentiles");
    return Optional.of(new Result(name.substring(dot + 1), warm, mode.get(),
        number(required(primary, "score")) * perUnit,
        number(primary.path("scoreError")) * perUnit,
        number(required(percentiles, "50.0")) * perUnit,
        number(required(percentiles, "90.0")) * perUnit,
        runs(primary, mode.get()),
        allocated(benchmark.path("secondaryMetrics"))));
  }

  private static long runs(JsonNode primary, Mode mode) {
    long runs = 0;
    if (mode == Mode.SAMPLE) {
      // rawDataHistogram: per fork, per iteration, a list of [value, count] pairs.
      for (JsonNode fork : primary.path("rawDataHistogram")) {
        for (JsonNode iteration : fork) {
          for (JsonNode bucket : iteration) {
            runs += bucket.path(1).asLong();
          }
        }
      }
    } else {
      for (JsonNode fork : primary.path("rawData")) {
        runs += fork.size();
      }
    }
    return runs;
  }

  private static double allocated(JsonNode secondary) {
    JsonNode norm = secondary.path("gc.alloc.rate.norm");
    return norm.isMissingNode() ? Double.NaN : number(norm.path("score"));
  }

  /** JMH writes NaN and infinities as strings. */
  private static double number(JsonNode node) {
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isTextual()) {
      try {
        return Double.parseDouble(node.asText());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("a JMH result without \"" + field + "\": " + abbreviate(node));
    }
    return value;
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }

  /** Nanoseconds in one of JMH's time units per operation. */
  static double nanosPer(String unit, String benchmark) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      case "min/op" -> 60e9;
      default -> throw new IllegalArgumentException(benchmark + " is in " + unit
          + ", not a time per operation: run it in avgt, sample or ss mode");
    };
  }

  /** Every result read, in file order. */
  public List<Result> all() {
    return results;
  }

  /** The result of {@code system} in the warm or cold class and {@code mode}, if there is one. */
  public Optional<Result> find(String system, boolean warm, Mode mode) {
    return results.stream()
        .filter(r -> r.system().equals(system) && r.warm() == warm && r.mode() == mode)
        .findFirst();
  }
}
