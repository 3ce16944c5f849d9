package ntio.kernel.executive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashReportsTest {

  @TempDir Path stateDir;

  private BugCheck crash(String time, int code, String driver, String message) {
    BugChecks bugChecks =
        new BugChecks(
            new CrashReportWriter(stateDir, () -> {}),
            Clock.fixed(Instant.parse(time), ZoneOffset.UTC));
    return Raised.by(() -> bugChecks.raise(code, 0x62, -1L, 0, 7, driver, message)).bugCheck();
  }

  @Test
  void listsReportsOldestFirstAndRebuildsEachBugCheckExactly() {
    BugCheck later = crash("2025-02-01T00:00:00Z", 0xC4, "Leaky.jar", "later \"one\"\n");
    BugCheck earlier = crash("2025-01-01T00:00:00Z", 0xE2, null, "earlier");

    var reports = new CrashReports(stateDir).list();

    assertThat(reports)
        .extracting(CrashReport::id)
        .containsExactly("20250101-000000-000-000001", "20250201-000000-000-000001");
    assertThat(reports.get(0).bugCheck()).isEqualTo(earlier);
    assertThat(reports.get(1).bugCheck()).isEqualTo(later);
    assertThat(reports.get(1).text()).contains("DRIVER_VERIFIER_DETECTED_VIOLATION");
    assertThat(reports.get(1).textFile())
        .isEqualTo(stateDir.resolve("crash").resolve("20250201-000000-000-000001.txt"));
  }

  @Test
  void loadsOneReportById() {
    BugCheck bugCheck = crash("2025-03-04T05:06:07.089Z", 0x50, "A.jar", "use after free");

    CrashReport report =
        new CrashReports(stateDir).load("20250304-050607-089-000001").orElseThrow();

    assertThat(report.bugCheck()).isEqualTo(bugCheck);
    assertThat(report.text()).contains("PAGE_FAULT_IN_NONPAGED_AREA").contains("A.jar");
  }

  @Test
  void aStateDirectoryWithoutCrashesHasNoReports() {
    assertThat(new CrashReports(stateDir).list()).isEmpty();
    assertThat(new CrashReports(stateDir).load("20250101-000000-000-000001")).isEmpty();
  }

  @Test
  void anIdThatIsNotAReportNameFindsNothing() throws IOException {
    crash("2025-01-01T00:00:00Z", 0xE2, null, "x");
    Files.writeString(stateDir.resolve("secret.json"), "{}");

    CrashReports reports = new CrashReports(stateDir);

    assertThat(reports.load("../secret")).isEmpty();
    assertThat(reports.load("")).isEmpty();
    assertThat(reports.load("nope")).isEmpty();
  }

  @Test
  void aReportWhoseJsonTwinIsMissingIsNotListed() throws IOException {
    Files.createDirectories(stateDir.resolve("crash"));
    Files.writeString(stateDir.resolve("crash").resolve("20250101-000000-000-000001.txt"), "half");

    assertThat(new CrashReports(stateDir).list()).isEmpty();
  }

  @Test
  void aMalformedReportIsLeftOutOfTheListAndLoadNamesTheProblem() throws IOException {
    crash("2025-01-01T00:00:00Z", 0xE2, null, "good");
    Path crashDir = stateDir.resolve("crash");
    Files.writeString(crashDir.resolve("20250102-000000-000-000001.json"), "{\"code\": 12");
    Files.writeString(crashDir.resolve("20250102-000000-000-000001.txt"), "bad");

    CrashReports reports = new CrashReports(stateDir);

    assertThat(reports.list())
        .extracting(CrashReport::id)
        .containsExactly("20250101-000000-000-000001");
    assertThatThrownBy(() -> reports.load("20250102-000000-000-000001"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("malformed crash report")
        .hasMessageContaining("20250102-000000-000-000001.json");
  }
}
