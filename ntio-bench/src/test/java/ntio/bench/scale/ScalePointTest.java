package ntio.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalePointTest {

  @TempDir
  Path directory;

  @Test
  void aPointIsTheMedianOfItsSamplesWithTheirRange() {
    ScalePoint odd = ScalePoint.of(ScaleMetric.HANDLES_OPEN, 1_000, 9, 1, 5);
    ScalePoint even = ScalePoint.of(ScaleMetric.HANDLES_OPEN, 1_000, 4, 1, 2, 3);

    assertThat(odd.median()).isEqualTo(5);
    assertThat(odd.min()).isEqualTo(1);
    assertThat(odd.max()).isEqualTo(9);
    assertThat(odd.samples()).isEqualTo(3);
    assertThat(even.median()).isEqualTo(2.5);
  }

  @Test
  void resultsReadBackAsWritten() throws Exception {
    List<ScalePoint> points = List.of(ScalePoint.of(ScaleMetric.DEVICES_CREATE, 100_000, 1234.5, 1300.5),
        ScalePoint.of(ScaleMetric.SERVICES_QUERY, 0, 7e7));
    Path file = directory.resolve("points.csv");

    ScalePoint.write(file, points);

    assertThat(Files.readAllLines(file)).containsExactly(ScalePoint.CSV_HEADER,
        "devices,create,100000,1267.5,1234.5,1300.5,2", "services,scQuery,0,70000000.0,70000000.0,70000000.0,1");
    assertThat(ScalePoint.read(file)).usingRecursiveFieldByFieldElementComparator()
        .containsExactly(ScalePoint.of(ScaleMetric.DEVICES_CREATE, 100_000, 1234.5, 1300.5),
            ScalePoint.of(ScaleMetric.SERVICES_QUERY, 0, 7e7));
  }

  @Test
  void aLineNamingNoKnownFigureIsRefused() {
    assertThatThrownBy(() -> ScalePoint.parse("devices,teleport,10,1,1,1,1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown metric devices.teleport");
  }
}
