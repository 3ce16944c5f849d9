package ntio.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerTableTest {

  private static final PeerTable TABLE = PeerTable.of("3.15.0", "7.0.5");

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(PeerTableTest.class.getResource(name).toURI());
  }

  private static PeerResults fixtures() throws Exception {
    return PeerResults.read(List.of(fixture("peers-warm.json"), fixture("peers-cold.json")));
  }

  /** The table's line for a system, found by its label. */
  private static String rowOf(String table, String label) {
    return table.lines().filter(line -> line.startsWith("| " + label + " |")).findFirst().orElseThrow();
  }

  private static List<String> cells(String row) {
    return List.of(row.substring(2, row.length() - 2).split(" \\| "));
  }

  @Test
  void warmMediansAndP90ComeFromSampleModeAndTheMeanWithItsErrorFromAvgt() throws Exception {
    String table = TABLE.render(fixtures());

    assertThat(cells(rowOf(table, "ntio, verifier off")).subList(1, 4))
        .containsExactly("150.0 µs", "180.0 µs", "160.0 ± 8.0 µs");
    assertThat(cells(rowOf(table, "Felix 7.0.5")).subList(1, 4))
        .containsExactly("2,000.0 µs", "2,400.0 µs", "2,100.0 ± 100.0 µs");
  }

  @Test
  void warmRatiosAreOfMediansToTheFloorAndToPf4j() throws Exception {
    String table = TABLE.render(fixtures());

    assertThat(cells(rowOf(table, "ntio, verifier off")).subList(4, 6)).containsExactly("1.50×", "0.60×");
    assertThat(cells(rowOf(table, "ntio, verifier `/standard` on Null.jar")).subList(4, 6))
        .containsExactly("3.00×", "1.20×");
    assertThat(cells(rowOf(table, "`URLClassLoader` floor, Null.jar")).subList(4, 6)).containsExactly("1.00×", "0.40×");
    assertThat(cells(rowOf(table, "PF4J 3.15.0")).subList(4, 6)).containsExactly("2.50×", "1.00×");
  }

  @Test
  void coldFirstCycleMediansAreInMillisecondsOverTheJvmsWithTheirRatios() throws Exception {
    String table = TABLE.render(fixtures());

    assertThat(table).contains("| cold first cycle, median of 3 JVMs |");
    assertThat(cells(rowOf(table, "ntio, verifier off")).subList(6, 9))
        .containsExactly("32.00 ms", "12.80×", "1.16×");
    assertThat(cells(rowOf(table, "Felix 7.0.5")).subList(6, 9)).containsExactly("28.00 ms", "11.20×", "1.01×");
  }

  @Test
  void aResultInAnotherTimeUnitIsConvertedBeforeItIsCompared() throws Exception {
    // The fixture's PF4J avgt result is in ns/op (260,000 ± 10,000), the others in us/op.
    String table = TABLE.render(fixtures());

    assertThat(cells(rowOf(table, "PF4J 3.15.0")).get(3)).isEqualTo("260.0 ± 10.0 µs");
  }

  @Test
  void allocationPerCycleComesFromTheGcProfilerRounded() throws Exception {
    String table = TABLE.render(fixtures());

    assertThat(cells(rowOf(table, "`URLClassLoader` floor, Null.jar")).get(9)).isEqualTo("32,000 B");
  }

  @Test
  void resultsOfOtherBenchmarksAreIgnored() throws Exception {
    PeerResults results = fixtures();

    assertThat(results.all()).hasSize(15).noneMatch(r -> r.meanNanos() == 999_000.0);
    assertThat(results.find("ntio", true, PeerResults.Mode.SAMPLE).orElseThrow().runs()).isEqualTo(150);
  }

  @Test
  void aSystemOrModeMissingFromTheResultsShowsADashNeverAZero() throws Exception {
    PeerResults warmOnly = PeerResults.read(List.of(fixture("peers-warm.json")));

    String table = TABLE.render(warmOnly);

    assertThat(cells(rowOf(table, "ntio, verifier off")).subList(6, 9)).containsExactly("—", "—", "—");
    assertThat(table).contains("| cold first cycle, median |");
    String unknownSystem = new PeerTable(List.of(new PeerTable.Row("felix", "Felix"),
        new PeerTable.Row("equinox", "Equinox"))).render(fixtures());
    assertThat(cells(rowOf(unknownSystem, "Equinox"))).containsOnly("Equinox", "—");
  }

  @Test
  void mainWritesPeersMdWithTheMachineIntoTheDirectory(@TempDir Path directory) throws Exception {
    Files.copy(fixture("peers-warm.json"), directory.resolve("warm.json"));
    Files.copy(fixture("peers-cold.json"), directory.resolve("cold.json"));
    Files.writeString(directory.resolve("machine.txt"), "nproc:   2\n");

    PeerTable.main(new String[] {directory.toString()});

    String written = Files.readString(directory.resolve("peers.md"));
    assertThat(written).startsWith("# ntio and its peers, side by side\n\n```\nnproc:   2\n```\n\n| system |");
    assertThat(written).contains("| PF4J 3.15.0 |").contains("| Felix 7.0.5 |");
  }
}
