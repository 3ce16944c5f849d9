package ntio.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import ntio.bench.report.PeerResults.Mode;
import ntio.bench.report.PeerResults.Result;

/**
 * The Markdown table of the peer comparison: for each system, the warm cycle's median, p90 and
 * mean, the cold first cycle's median, and both medians as ratios to the class-loader floor and
 * to PF4J.
 *
 * <p>{@code java -cp benchmarks.jar ntio.bench.report.PeerTable <directory>} reads
 * {@code warm.json} and {@code cold.json} there (JMH's {@code -rf json} of {@code PeerCycle} and
 * {@code PeerFirstCycle}), and {@code machine.txt} when present, and writes {@code peers.md} next
 * to them; {@code compare.sh} runs it last.
 *
 * <p>A system or mode missing from the results shows as a dash, never as a zero.
 */
public final class PeerTable {

  /** One row: the benchmark method's name and how the table names the system. */
  record Row(String system, String label) {}

  private static final String FLOOR = "floor";
  private static final String PF4J = "pf4j";
  private static final String DASH = "—";

  private final List<Row> rows;

  /** A table with these rows, in this order. */
  PeerTable(List<Row> rows) {
    this.rows = List.copyOf(rows);
  }

  /**
   * The comparison's rows: the floor, ntio with the verifier off and on, PF4J and Felix, the
   * peers named with their versions.
   */
  public static PeerTable of(String pf4jVersion, String felixVersion) {
    return new PeerTable(List.of(
        new Row(FLOOR, "`URLClassLoader` floor, Null.jar"),
        new Row("floorPeerUnit", "`URLClassLoader` floor, the peers' unit"),
        new Row("ntio", "ntio, verifier off"),
        new Row("ntioVerified", "ntio, verifier `/standard` on Null.jar"),
        new Row(PF4J, "PF4J " + pf4jVersion),
        new Row("felix", "Felix " + felixVersion)));
  }

  /** The table of {@code results}, with a line saying how to read it. */
  public String render(PeerResults results) {
    Optional<Result> floorWarm = results.find(FLOOR, true, Mode.SAMPLE);
    Optional<Result> pf4jWarm = results.find(PF4J, true, Mode.SAMPLE);
    Optional<Result> floorCold = results.find(FLOOR, false, Mode.SINGLE_SHOT);
    Optional<Result> pf4jCold = results.find(PF4J, false, Mode.SINGLE_SHOT);

    StringBuilder table = new StringBuilder();
    table.append("| system | warm median | warm p90 | warm mean | × floor | × PF4J | cold first cycle, median")
        .append(coldRuns(results)).append(" | × floor | × PF4J | allocated per warm cycle |\n");
    table.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (Row row : rows) {
      Optional<Result> sample = results.find(row.system(), true, Mode.SAMPLE);
      Optional<Result> average = results.find(row.system(), true, Mode.AVERAGE);
      Optional<Result> cold = results.find(row.system(), false, Mode.SINGLE_SHOT);
      table.append("| ").append(row.label())
          .append(" | ").append(micros(sample, Result::medianNanos))
          .append(" | ").append(micros(sample, Result::p90Nanos))
          .append(" | ").append(mean(average))
          .append(" | ").append(ratio(sample, floorWarm))
          .append(" | ").append(ratio(sample, pf4jWarm))
          .append(" | ").append(millis(cold))
          .append(" | ").append(ratio(cold, floorCold))
          .append(" | ").append(ratio(cold, pf4jCold))
          .append(" | ").append(bytes(average.or(() -> sample)))
          .append(" |\n");
    }
    table.append('\n').append("Warm: one cycle in the steady state, median and p90 of the cycles JMH sampled"
        + " (`sample` mode), mean ± 99.9 % error over iterations (`avgt`). Cold: the first cycle in a"
        + " fresh JVM (`ss`), median over JVMs. Ratios are of medians.\n");
    return table.toString();
  }

  private static String coldRuns(PeerResults results) {
    TreeSet<Long> runs = new TreeSet<>();
    for (Result result : results.all()) {
      if (result.mode() == Mode.SINGLE_SHOT) {
        runs.add(result.runs());
      }
    }
    if (runs.isEmpty()) {
      return "";
    }
    String count = runs.size() == 1 ? runs.first().toString() : runs.first() + "–" + runs.last();
    return " of " + count + (runs.last() == 1 ? " JVM" : " JVMs");
  }

  private static String micros(Optional<Result> result, ToDoubleFunction<Result> figure) {
    return result.map(r -> figure.applyAsDouble(r))
        .filter(Double::isFinite)
        .map(nanos -> format("%,.1f µs", nanos / 1e3))
        .orElse(DASH);
  }

  private static String mean(Optional<Result> average) {
    if (average.isEmpty() || !Double.isFinite(average.get().meanNanos())) {
      return DASH;
    }
    Result result = average.get();
    return Double.isFinite(result.errorNanos())
        ? format("%,.1f ± %,.1f µs", result.meanNanos() / 1e3, result.errorNanos() / 1e3)
        : format("%,.1f µs", result.meanNanos() / 1e3);
  }

  private static String millis(Optional<Result> cold) {
    return cold.map(Result::medianNanos)
        .filter(Double::isFinite)
        .map(nanos -> format("%,.2f ms", nanos / 1e6))
        .orElse(DASH);
  }

  private static String ratio(Optional<Result> result, Optional<Result> base) {
    if (result.isEmpty() || base.isEmpty()) {
      return DASH;
    }
    double ratio = result.get().medianNanos() / base.get().medianNanos();
    return Double.isFinite(ratio) && ratio > 0 ? format("%.2f×", ratio) : DASH;
  }

  private static String bytes(Optional<Result> result) {
    return result.map(Result::allocatedBytes)
        .filter(Double::isFinite)
        .map(allocated -> format("%,d B", Math.round(allocated)))
        .orElse(DASH);
  }

  private static String format(String pattern, Object... arguments) {
    return String.format(Locale.ROOT, pattern, arguments);
  }

  /**
   * The whole {@code peers.md}: a title, the machine (the lines of {@code machine.txt}, if any),
   * and the table.
   */
  public String document(PeerResults results, List<String> machine) {
    StringBuilder document = new StringBuilder("# ntio and its peers, side by side\n\n");
    if (!machine.isEmpty()) {
      document.append("```\n");
      machine.forEach(line -> document.append(line).append('\n'));
      document.append("```\n\n");
    }
    return document.append(render(results)).toString();
  }

  /**
   * The version of a library in this class path, from the {@code pom.properties} Maven packs
   * into its JAR (and the shade plugin keeps in benchmarks.jar), or {@code "?"}.
   */
  static String versionOf(String groupId, String artifactId) {
    String resource = "/META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
    try (InputStream in = PeerTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "?";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "?");
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * Writes {@code <directory>/peers.md} from {@code warm.json}, {@code cold.json} and
   * {@code machine.txt} there, and prints it.
   *
   * @param arguments the directory ({@code compare.sh}'s output directory)
   */
  public static void main(String[] arguments) throws IOException {
    if (arguments.length != 1) {
      System.err.println("usage: PeerTable <directory with warm.json, cold.json and machine.txt>");
      System.exit(2);
    }
    Path directory = Path.of(arguments[0]);
    List<Path> files = new ArrayList<>();
    for (String name : List.of("warm.json", "cold.json")) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        files.add(file);
      } else {
        System.err.println("PeerTable: no " + file + "; its columns will be dashes");
      }
    }
    Path machineFile = directory.resolve("machine.txt");
    List<String> machine = Files.isRegularFile(machineFile)
        ? Files.readAllLines(machineFile, StandardCharsets.UTF_8) : List.of();
    PeerTable table = of(versionOf("org.pf4j", "pf4j"),
        versionOf("org.apache.felix", "org.apache.felix.framework"));
    String document = table.document(PeerResults.read(files), machine);
    Files.writeString(directory.resolve("peers.md"), document, StandardCharsets.UTF_8);
    System.out.print(document);
  }
}
