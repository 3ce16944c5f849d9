package ntio.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScaleReportTest {

  @TempDir
  Path directory;

  /** Devices: create flat, open-by-name growing 3x, memory under its target; handles over theirs. */
  private void writeSampleResults() {
    ScalePoint.write(directory.resolve("devices.csv"), List.of(
        point(ScaleMetric.DEVICES_CREATE, 1_000, 1_200),
        point(ScaleMetric.DEVICES_CREATE, 100_000, 1_400),
        point(ScaleMetric.DEVICES_OPEN_BY_NAME, 1_000, 4_000),
        point(ScaleMetric.DEVICES_OPEN_BY_NAME, 100_000, 12_000),
        point(ScaleMetric.DEVICES_HEAP, 1_000, 300),
        point(ScaleMetric.DEVICES_HEAP, 100_000, 290)));
    ScalePoint.write(directory.resolve("handles.csv"), List.of(
        point(ScaleMetric.HANDLES_OPEN, 1_000, 700),
        point(ScaleMetric.HANDLES_OPEN, 100_000, 900),
        point(ScaleMetric.HANDLES_HEAP, 100_000, 1_500)));
    // Boot: 20 ms fixed, 10 us per key; the per-key figure at N=10 is within the fixed cost.
    ScalePoint.write(directory.resolve("services.csv"), List.of(
        point(ScaleMetric.SERVICES_BOOT, 0, 20e6),
        point(ScaleMetric.SERVICES_BOOT, 10, 21e6),
        point(ScaleMetric.SERVICES_BOOT, 3_000, 50e6),
        point(ScaleMetric.SERVICES_BOOT, 10_000, 120e6),
        point(ScaleMetric.SERVICES_BOOT_PER_SERVICE, 10, 100e3),
        point(ScaleMetric.SERVICES_BOOT_PER_SERVICE, 3_000, 10e3),
        point(ScaleMetric.SERVICES_BOOT_PER_SERVICE, 10_000, 10e3)));
  }

  private static ScalePoint point(ScaleMetric metric, long size, double value) {
    return ScalePoint.of(metric, size, value * 0.9, value, value * 1.1);
  }

  @Test
  void writesAChartPerCurveATotalsChartAndAMemoryChartAsPngs() throws Exception {
    writeSampleResults();

    ScaleReport.write(directory, "");

    for (String chart : List.of("scale-devices.png", "scale-handles.png", "scale-services.png",
        ScaleReport.TOTALS_CHART, ScaleReport.MEMORY_CHART)) {
      BufferedImage image = ImageIO.read(directory.resolve(chart).toFile());
      assertThat(image).as(chart).isNotNull();
      assertThat(image.getWidth()).isEqualTo(800);
      assertThat(image.getHeight()).isEqualTo(480);
    }
    assertThat(directory.resolve("scale-drivers.png")).doesNotExist();
  }

  @Test
  void theTableHasARowPerFigureAndAColumnPerSize() throws Exception {
    writeSampleResults();

    String table = ScaleReport.write(directory, "Taken while another job ran.");

    assertThat(Files.readString(directory.resolve(ScaleReport.TABLE))).isEqualTo(table);
    assertThat(table).contains("Taken while another job ran.");
    assertThat(table).contains("| figure | unit | N=1,000 | N=100,000 | spread |");
    assertThat(table).contains("| `create` | µs | 1.20 | 1.40 | ±10 % |");
    assertThat(table).contains("| `heapPerDevice` | B | 300 | 290 | ±10 % |");
    assertThat(table).contains("![scale-devices.png](scale-devices.png)");
  }

  @Test
  void aPerOperationFigureMoreThanTwiceAsHighAtTheLargestSizeMissesTheFlatnessTarget() {
    writeSampleResults();

    List<ScaleReport.Verdict> verdicts = ScaleReport.verdicts(ScaleReport.readAll(directory));

    assertThat(outcome(verdicts, ScaleMetric.DEVICES_CREATE)).isEqualTo(ScaleReport.Outcome.MET);
    assertThat(outcome(verdicts, ScaleMetric.DEVICES_OPEN_BY_NAME)).isEqualTo(ScaleReport.Outcome.MISSED);
    assertThat(outcome(verdicts, ScaleMetric.HANDLES_OPEN)).isEqualTo(ScaleReport.Outcome.MET);
  }

  @Test
  void memoryIsJudgedAtTheLargestSizeAgainstItsTarget() {
    writeSampleResults();

    List<ScaleReport.Verdict> verdicts = ScaleReport.verdicts(ScaleReport.readAll(directory));

    assertThat(outcome(verdicts, ScaleMetric.DEVICES_HEAP)).isEqualTo(ScaleReport.Outcome.MET);
    assertThat(outcome(verdicts, ScaleMetric.HANDLES_HEAP)).isEqualTo(ScaleReport.Outcome.MISSED);
  }

  @Test
  void aFigureDerivedFromTotalsIsJudgedOnlyWhereTheObjectsOutweighTheFixedCost() throws Exception {
    writeSampleResults();
    List<ScalePoint> points = ScaleReport.readAll(directory);

    List<ScaleReport.Verdict> verdicts = ScaleReport.verdicts(points);
    String table = ScaleReport.write(directory, "");

    // At N=10 the services add 1 ms to a fixed 20 ms, less than half: shown in parentheses, not judged.
    assertThat(table).contains("| `bootPerService` | µs | | (100) | 10.0 | 10.0 |");
    assertThat(outcome(verdicts, ScaleMetric.SERVICES_BOOT_PER_SERVICE)).isEqualTo(ScaleReport.Outcome.MET);
    assertThat(verdicts).filteredOn(v -> v.metric() == ScaleMetric.SERVICES_BOOT_PER_SERVICE).singleElement()
        .extracting(ScaleReport.Verdict::figure).asString().contains("at N=3,000");
  }

  @Test
  void numbersKeepThreeSignificantFigures() {
    assertThat(ScaleReport.formatNumber(0.31234)).isEqualTo("0.312");
    assertThat(ScaleReport.formatNumber(1.2345)).isEqualTo("1.23");
    assertThat(ScaleReport.formatNumber(12.345)).isEqualTo("12.3");
    assertThat(ScaleReport.formatNumber(12_345.6)).isEqualTo("12,346");
  }

  private static ScaleReport.Outcome outcome(List<ScaleReport.Verdict> verdicts, ScaleMetric metric) {
    return verdicts.stream().filter(v -> v.metric() == metric).findFirst().orElseThrow().outcome();
  }
}
