package ntio.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each curve at tiny sizes, once, without warm-up: the whole path runs through the real loader
 * (the scale driver's image, Null's), the real system services and the real host, and every check
 * a curve makes on the way (every status, every count) holds. No figure is asserted but its sign.
 */
@Timeout(120)
class ScaleCurvesTest {

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private ScalePlan plan(Integer... sizes) {
    return new ScalePlan(List.of(sizes), 1, false, new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @Test
  void theHandleCurveOpensClosesAndRunsDownHandlesToNull() throws Exception {
    List<ScalePoint> points = ScaleCurves.run(HandleCurve.CURVE, plan(10, 50));

    assertThat(points).extracting(ScalePoint::metric).containsOnly(ScaleMetric.HANDLES_OPEN,
        ScaleMetric.HANDLES_CLOSE, ScaleMetric.HANDLES_RUNDOWN, ScaleMetric.HANDLES_HEAP);
    assertThat(points).hasSize(8);
    assertThat(points).filteredOn(p -> p.metric().kind() == ScaleMetric.Kind.TIME_PER_OP)
        .allSatisfy(p -> assertThat(p.median()).isPositive());
  }

  @Test
  void theDeviceCurveCreatesLooksUpAndUnloadsDevicesOfTheScaleDriver() throws Exception {
    List<ScalePoint> points = ScaleCurves.run(DeviceCurve.CURVE, plan(5, 1_500));

    assertThat(points).extracting(ScalePoint::metric).containsOnly(ScaleMetric.DEVICES_CREATE,
        ScaleMetric.DEVICES_OPEN_BY_NAME, ScaleMetric.DEVICES_OB_LOOKUP, ScaleMetric.DEVICES_UNLOAD,
        ScaleMetric.DEVICES_HEAP);
    assertThat(points).hasSize(10);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("devices: N=1,500 create");
  }

  @Test
  void theDriverCurveLoadsAndUnloadsDistinctCopiesOfTheScaleDriver() throws Exception {
    List<ScalePoint> points = ScaleCurves.run(DriverCurve.CURVE, plan(1, 3));

    assertThat(points).extracting(ScalePoint::metric).containsOnly(ScaleMetric.DRIVERS_LOAD,
        ScaleMetric.DRIVERS_UNLOAD, ScaleMetric.DRIVERS_HEAP, ScaleMetric.DRIVERS_METASPACE);
    assertThat(points).hasSize(8);
    assertThat(points).filteredOn(p -> p.metric() == ScaleMetric.DRIVERS_LOAD)
        .allSatisfy(p -> assertThat(p.median()).isPositive());
  }

  @Test
  void theServiceCurveStartsAHostAndQueriesEveryServiceWithTheRealCommand() throws Exception {
    List<ScalePoint> points = ScaleCurves.run(ServiceCurve.SERVICES, plan(0, 3));

    assertThat(points).extracting(ScalePoint::metric).containsOnly(ScaleMetric.SERVICES_BOOT,
        ScaleMetric.SERVICES_QUERY, ScaleMetric.SERVICES_BOOT_PER_SERVICE, ScaleMetric.SERVICES_QUERY_PER_SERVICE);
    assertThat(points).filteredOn(p -> p.metric() == ScaleMetric.SERVICES_QUERY)
        .allSatisfy(p -> assertThat(p.samples()).isEqualTo(ServiceCurve.QUERIES_PER_START));
  }

  @Test
  void theAutoStartCurveStartsAndStopsAHostWithItsDriversLoaded() throws Exception {
    List<ScalePoint> points = ScaleCurves.run(ServiceCurve.AUTOSTART, plan(0, 2));

    assertThat(points).extracting(ScalePoint::metric).contains(ScaleMetric.AUTOSTART_BOOT,
        ScaleMetric.AUTOSTART_QUERY, ScaleMetric.AUTOSTART_SHUTDOWN, ScaleMetric.AUTOSTART_SHUTDOWN_PER_DRIVER);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("autostart: N=2 start");
  }
}
