package ntio.bench.scale;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Turns the scale curves' results into what a reader looks at: PNG charts and a Markdown table
 * ({@value #TABLE}), with each curve's verdict against the issue's targets — every per-operation
 * figure flat within {@link ScaleMetric#FLAT_RATIO} from the smallest size to the largest, and
 * the memory targets per device and per handle met at the largest size.
 *
 * <p>Run it as {@code java -cp benchmarks.jar ntio.bench.scale.ScaleReport DIR [NOTE]}: it reads
 * every {@code DIR/<curve>.csv} that {@link ScaleCurves} wrote and writes the charts and the table
 * into {@code DIR}; NOTE, if given, goes under the table's title (the machine and the load, say).
 *
 * <p>The charts: one per curve with its per-operation times against N ({@code scale-<curve>.png},
 * N on a logarithmic axis, time from zero, so a flat line is linear growth), one of the total times
 * that grow with N ({@code scale-totals.png}, both axes logarithmic) and one of the memory per
 * object with the targets ({@code scale-memory.png}).
 */
public final class ScaleReport {

  /** The Markdown file's name. */
  static final String TABLE = "scale.md";

  /** The memory chart's file name. */
  static final String MEMORY_CHART = "scale-memory.png";

  /** The total-times chart's file name. */
  static final String TOTALS_CHART = "scale-totals.png";

  /** Colours of the memory chart's figures, each shared with its target line. */
  private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
      new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

  private static final int WIDTH = 800;
  private static final int HEIGHT = 480;

  private ScaleReport() {}

  /** {@code DIR [NOTE]}. */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ScaleReport DIR [NOTE]");
      System.exit(2);
    }
    Path directory = Path.of(args[0]);
    if (readAll(directory).isEmpty()) {
      System.err.println("ScaleReport: no <curve>.csv in " + directory);
      System.exit(1);
    }
    System.out.print(write(directory, args.length > 1 ? args[1] : ""));
  }

  /**
   * Reads the results in {@code directory}, writes the charts and {@value #TABLE} there, and
   * returns the table's text.
   */
  static String write(Path directory, String note) throws IOException {
    List<ScalePoint> points = readAll(directory);
    List<Path> charts = writeCharts(directory, points);
    String markdown = markdown(points, note, charts);
    Files.writeString(directory.resolve(TABLE), markdown, StandardCharsets.UTF_8);
    return markdown;
  }

  /** Every point of every {@code <curve>.csv} in {@code directory}, curves in their usual order. */
  static List<ScalePoint> readAll(Path directory) {
    List<ScalePoint> points = new ArrayList<>();
    for (String curve : ScaleMetric.curves()) {
      Path file = directory.resolve(curve + ".csv");
      if (Files.exists(file)) {
        points.addAll(ScalePoint.read(file));
      }
    }
    return points;
  }

  // ---------------------------------------------------------------------------------------------
  // Charts

  /** Writes the charts the points allow; returns their files, in the order the table shows them. */
  static List<Path> writeCharts(Path directory, List<ScalePoint> points) throws IOException {
    Files.createDirectories(directory);
    List<Path> written = new ArrayList<>();
    for (String curve : ScaleMetric.curves()) {
      // A figure derived from totals is drawn where it means something (judgeable), not below.
      Map<ScaleMetric, List<ScalePoint>> perOp = new LinkedHashMap<>();
      for (ScaleMetric metric : ScaleMetric.ofCurve(curve)) {
        List<ScalePoint> drawn = series(points, metric).stream().filter(p -> judgeable(p, points)).toList();
        if (metric.kind() == ScaleMetric.Kind.TIME_PER_OP && !drawn.isEmpty()) {
          perOp.put(metric, drawn);
        }
      }
      if (perOp.isEmpty()) {
        continue;
      }
      XYChart chart = chart(curve + ": time per operation", "N (" + noun(curve) + ")", "microseconds per operation");
      chart.getStyler().setYAxisMin(0.0);
      perOp.forEach((metric, drawn) -> addSeries(chart, metric.label(), drawn, 1e-3));
      written.add(save(chart, directory.resolve("scale-" + curve + ".png")));
    }
    List<ScaleMetric> totals = metrics(points, ScaleMetric.Kind.TOTAL_TIME);
    if (!totals.isEmpty()) {
      XYChart chart = chart("total time as N grows (log-log: slope 1 is linear)", "N", "milliseconds");
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
      chart.getStyler().setYAxisDecimalPattern("#,###");
      for (ScaleMetric metric : totals) {
        // A logarithmic axis cannot show N = 0.
        List<ScalePoint> positive = series(points, metric).stream().filter(p -> p.size() > 0).toList();
        if (!positive.isEmpty()) {
          addSeries(chart, metric.curve() + " " + metric.label(), positive, 1e-6);
        }
      }
      written.add(save(chart, directory.resolve(TOTALS_CHART)));
    }
    List<ScaleMetric> memory = metrics(points, ScaleMetric.Kind.BYTES_PER_OBJECT);
    if (!memory.isEmpty()) {
      XYChart chart = chart("memory per object after GC (dashed: targets)", "N", "bytes per object");
      chart.getStyler().setYAxisLogarithmic(true);
      chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
      chart.getStyler().setYAxisDecimalPattern("#,###");
      int next = 0;
      for (ScaleMetric metric : memory) {
        List<ScalePoint> series = series(points, metric).stream().filter(p -> p.median() > 0).toList();
        if (series.isEmpty()) {
          continue;
        }
        // A target line takes its figure's colour.
        Color colour = COLOURS[next++ % COLOURS.length];
        XYSeries drawn = addSeries(chart, metric.curve() + " " + metric.label(), series, 1);
        drawn.setLineColor(colour);
        drawn.setMarkerColor(colour);
        Optional<Long> target = metric.targetBytes();
        if (target.isPresent()) {
          double[] x = {series.get(0).size(), series.get(series.size() - 1).size()};
          double[] y = {target.get(), target.get()};
          XYSeries line = chart.addSeries("target " + metric.label() + " " + target.get() + " B", x, y);
          line.setMarker(SeriesMarkers.NONE);
          line.setLineStyle(SeriesLines.DASH_DASH);
          line.setLineColor(colour);
        }
      }
      written.add(save(chart, directory.resolve(MEMORY_CHART)));
    }
    return written;
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setMarkerSize(7);
    chart.getStyler().setXAxisDecimalPattern("#,###");
    return chart;
  }

  private static XYSeries addSeries(XYChart chart, String name, List<ScalePoint> series, double scale) {
    double[] x = series.stream().mapToDouble(ScalePoint::size).toArray();
    double[] y = series.stream().mapToDouble(p -> p.median() * scale).toArray();
    return chart.addSeries(name, x, y);
  }

  private static Path save(XYChart chart, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }

  private static List<ScalePoint> series(List<ScalePoint> points, ScaleMetric metric) {
    return points.stream().filter(p -> p.metric() == metric).sorted(Comparator.comparingLong(ScalePoint::size))
        .toList();
  }

  private static List<ScaleMetric> metrics(List<ScalePoint> points, ScaleMetric.Kind kind) {
    return points.stream().map(ScalePoint::metric).filter(m -> m.kind() == kind).distinct()
        .sorted().toList();
  }

  private static String noun(String curve) {
    return switch (curve) {
      case ServiceCurve.SERVICES -> "service keys";
      case ServiceCurve.AUTOSTART -> "auto-start drivers";
      case DriverCurve.CURVE -> "loaded drivers";
      case DeviceCurve.CURVE -> "device objects";
      case HandleCurve.CURVE -> "open handles";
      default -> curve;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // The table

  /** How one figure fares against its target. */
  record Verdict(ScaleMetric metric, String figure, Outcome outcome) {}

  /** A verdict's outcome. */
  enum Outcome {
    MET("met"),
    MISSED("**missed**"),
    /** Too few sizes where the figure means something: see {@link #judgeable}. */
    NOT_JUDGED("not judged");

    private final String text;

    Outcome(String text) {
      this.text = text;
    }

    String text() {
      return text;
    }
  }

  /**
   * Each per-operation figure's growth from its smallest judgeable size to its largest (met when
   * at most {@link ScaleMetric#FLAT_RATIO}), and each memory figure with a target at its largest
   * size.
   */
  static List<Verdict> verdicts(List<ScalePoint> points) {
    List<Verdict> verdicts = new ArrayList<>();
    for (ScaleMetric metric : ScaleMetric.values()) {
      List<ScalePoint> series = series(points, metric);
      if (series.isEmpty()) {
        continue;
      }
      if (metric.kind() == ScaleMetric.Kind.TIME_PER_OP) {
        List<ScalePoint> judged = series.stream().filter(p -> judgeable(p, points)).toList();
        if (judged.size() < 2) {
          verdicts.add(new Verdict(metric, "fewer than two sizes where the objects add half the fixed cost or more"
              + " (figures in parentheses below)", Outcome.NOT_JUDGED));
          continue;
        }
        ScalePoint first = judged.get(0);
        ScalePoint last = judged.get(judged.size() - 1);
        double ratio = last.median() / first.median();
        verdicts.add(new Verdict(metric, String.format(Locale.ROOT, "%s at N=%,d / %s at N=%,d = %.2fx",
            formatMicros(last.median()), last.size(), formatMicros(first.median()), first.size(), ratio),
            ratio <= ScaleMetric.FLAT_RATIO ? Outcome.MET : Outcome.MISSED));
      } else if (metric.targetBytes().isPresent()) {
        ScalePoint last = series.get(series.size() - 1);
        long target = metric.targetBytes().get();
        verdicts.add(new Verdict(metric, String.format(Locale.ROOT, "%,.0f B at N=%,d (target <= %,d B)",
            last.median(), last.size(), target), last.median() <= target ? Outcome.MET : Outcome.MISSED));
      }
    }
    return verdicts;
  }

  /**
   * Whether a per-operation figure says something about the operation: always for one measured
   * per operation; for one derived from totals ({@link ScaleMetric#derivedFrom()}), only where the
   * N objects add at least half as much time as the fixed cost, {@code T(N) - T(N0) >= T(N0) / 2}.
   * Below that, the figure is mostly the noise of the fixed cost (a thread's start, the hive's
   * opening, the command line's set-up; ±25 % between repetitions on a busy machine) divided by a
   * small N.
   */
  static boolean judgeable(ScalePoint point, List<ScalePoint> points) {
    Optional<ScaleMetric> total = point.metric().derivedFrom();
    if (total.isEmpty()) {
      return true;
    }
    List<ScalePoint> totals = series(points, total.get());
    if (totals.isEmpty()) {
      return false;
    }
    double fixed = totals.get(0).median();
    return totals.stream().filter(t -> t.size() == point.size())
        .anyMatch(t -> t.median() - fixed >= fixed / 2);
  }

  /** The Markdown report: the verdicts, then one table per curve, then the charts. */
  static String markdown(List<ScalePoint> points, String note, List<Path> charts) {
    StringBuilder md = new StringBuilder();
    md.append("# ntio scale curves\n\n");
    if (!note.isBlank()) {
      md.append(note.strip()).append("\n\n");
    }
    md.append("Times are medians of the repetitions, per operation unless the row says otherwise;"
        + " memory is heap after GC per object ((heap with N - heap before) / N). Per-operation rows are"
        + " flat when the largest size's figure is at most " + ScaleMetric.FLAT_RATIO + "x the smallest's.\n\n");
    md.append("## Verdicts\n\n| curve | figure | result | |\n|---|---|---|---|\n");
    for (Verdict verdict : verdicts(points)) {
      md.append("| ").append(verdict.metric().curve()).append(" | `").append(verdict.metric().label()).append("` | ")
          .append(verdict.figure()).append(" | ").append(verdict.outcome().text()).append(" |\n");
    }
    Map<String, List<ScalePoint>> byCurve = points.stream()
        .collect(Collectors.groupingBy(p -> p.metric().curve(), LinkedHashMap::new, Collectors.toList()));
    for (String curve : ScaleMetric.curves()) {
      List<ScalePoint> curvePoints = byCurve.get(curve);
      if (curvePoints == null) {
        continue;
      }
      TreeSet<Long> sizes = curvePoints.stream().map(ScalePoint::size).collect(Collectors.toCollection(TreeSet::new));
      md.append("\n## ").append(curve).append(" (N = ").append(noun(curve)).append(")\n\n| figure | unit |");
      for (long size : sizes) {
        md.append(String.format(Locale.ROOT, " N=%,d |", size));
      }
      md.append(" spread |\n|---|---|");
      md.append("---:|".repeat(sizes.size()));
      md.append("---|\n");
      for (ScaleMetric metric : ScaleMetric.ofCurve(curve)) {
        List<ScalePoint> series = series(curvePoints, metric);
        if (series.isEmpty()) {
          continue;
        }
        md.append("| `").append(metric.label()).append("` | ").append(unit(metric)).append(" |");
        double widest = 0;
        for (long size : sizes) {
          Optional<ScalePoint> at = series.stream().filter(p -> p.size() == size).findFirst();
          md.append(at.map(p -> judgeable(p, points) ? " " + format(metric, p.median()) + " |"
              : " (" + format(metric, p.median()) + ") |").orElse(" |"));
          if (at.isPresent() && at.get().median() != 0) {
            widest = Math.max(widest, (at.get().max() - at.get().min()) / Math.abs(at.get().median()));
          }
        }
        md.append(String.format(Locale.ROOT, " ±%.0f %% |%n", 50 * widest));
      }
      md.append('\n');
      for (ScaleMetric metric : ScaleMetric.ofCurve(curve)) {
        if (!series(curvePoints, metric).isEmpty()) {
          md.append("* `").append(metric.label()).append("`: ").append(metric.description()).append('\n');
        }
      }
    }
    if (!charts.isEmpty()) {
      md.append("\n## Charts\n\n");
      for (Path chart : charts) {
        String name = chart.getFileName().toString();
        md.append("![").append(name).append("](").append(name).append(")\n\n");
      }
    }
    md.append("Spread: half the range of the repetitions (max - min) over the median, the widest of the row."
        + " In parentheses: a figure derived from totals, (T(N) - T(N0)) / (N - N0), where the N objects add less"
        + " than half the fixed cost T(N0), so that it is mostly the fixed cost's noise; such figures are not judged.\n");
    return md.toString();
  }

  private static String unit(ScaleMetric metric) {
    return switch (metric.kind()) {
      case TIME_PER_OP -> "µs";
      case TOTAL_TIME -> "ms";
      case BYTES_PER_OBJECT -> "B";
    };
  }

  private static String format(ScaleMetric metric, double value) {
    return switch (metric.kind()) {
      case TIME_PER_OP -> formatNumber(value / 1e3);
      case TOTAL_TIME -> formatNumber(value / 1e6);
      case BYTES_PER_OBJECT -> String.format(Locale.ROOT, "%,.0f", value);
    };
  }

  private static String formatMicros(double nanos) {
    return formatNumber(nanos / 1e3) + " µs";
  }

  /** Three significant figures, at least, and thousands separated. */
  static String formatNumber(double value) {
    double magnitude = Math.abs(value);
    if (magnitude >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (magnitude >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (magnitude >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }
}
