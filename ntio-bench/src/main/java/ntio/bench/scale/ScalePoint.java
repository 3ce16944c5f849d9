package ntio.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One figure of a curve at one size: the median of its samples, and their spread. Times are in
 * nanoseconds, memory in bytes ({@link ScaleMetric.Kind}).
 *
 * @param metric what was measured
 * @param size N: services, drivers, devices or handles
 * @param median the median of the samples
 * @param min the smallest sample
 * @param max the largest sample
 * @param samples how many repetitions the median is of
 */
record ScalePoint(ScaleMetric metric, long size, double median, double min, double max, int samples) {

  /** The first line of a results file. */
  static final String CSV_HEADER = "curve,metric,size,median,min,max,samples";

  /** The point of a set of samples, one per repetition. */
  static ScalePoint of(ScaleMetric metric, long size, double... samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("no samples of " + metric + " at " + size);
    }
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new ScalePoint(metric, size, median, sorted[0], sorted[n - 1], n);
  }

  /** One line of a results file. */
  String toCsv() {
    return String.format(Locale.ROOT, "%s,%s,%d,%.1f,%.1f,%.1f,%d", metric.curve(), metric.label(), size, median,
        min, max, samples);
  }

  /** Parses a line written by {@link #toCsv()}. */
  static ScalePoint parse(String line) {
    String[] f = line.split(",", -1);
    if (f.length != 7) {
      throw new IllegalArgumentException("not a scale result line (7 fields): " + line);
    }
    ScaleMetric metric = ScaleMetric.of(f[0], f[1])
        .orElseThrow(() -> new IllegalArgumentException("unknown metric " + f[0] + "." + f[1] + " in: " + line));
    return new ScalePoint(metric, Long.parseLong(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
        Double.parseDouble(f[5]), Integer.parseInt(f[6]));
  }

  /** Writes a results file: the header, then one line per point. */
  static void write(Path file, List<ScalePoint> points) {
    List<String> lines = new ArrayList<>(points.size() + 1);
    lines.add(CSV_HEADER);
    for (ScalePoint point : points) {
      lines.add(point.toCsv());
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a results file written by {@link #write}. */
  static List<ScalePoint> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (lines.isEmpty() || !lines.get(0).equals(CSV_HEADER)) {
      throw new IllegalArgumentException(file + " does not start with " + CSV_HEADER);
    }
    List<ScalePoint> points = new ArrayList<>(lines.size() - 1);
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        points.add(parse(line));
      }
    }
    return points;
  }
}
