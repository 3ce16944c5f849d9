package ntio.kernel;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import ntio.api.BugCheckReport;
import ntio.api.CrashDump;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.CrashReport;
import ntio.kernel.executive.CrashReportWriter;
import ntio.kernel.executive.CrashReports;

/**
 * The crash reports a kernel wrote in its state directory, read as files whether or not a kernel
 * runs on it, as one reads dump files: the boot's reader for {@code ntio crash}. Models the
 * {@code %SystemRoot%\Minidump} folder (partial: text reports, not dumps).
 */
public final class CrashDumps {

  /** The folder of the state directory the crash reports are written to. */
  public static final String CRASH_DIRECTORY = CrashReportWriter.CRASH_DIRECTORY;

  private CrashDumps() {}

  /**
   * Every well-formed report in {@code stateDirectory}, oldest first; a damaged one is left out
   * ({@link #load} names what is wrong with it).
   *
   * @throws UncheckedIOException if the crash folder exists but cannot be listed
   */
  public static List<CrashDump> list(Path stateDirectory) {
    return new CrashReports(stateDirectory).list().stream().map(CrashDumps::dump).toList();
  }

  /**
   * The report {@code id}, or empty when there is none.
   *
   * @throws UncheckedIOException if the report exists but cannot be read or is malformed
   */
  public static Optional<CrashDump> load(Path stateDirectory, String id) {
    return new CrashReports(stateDirectory).load(id).map(CrashDumps::dump);
  }

  /** What the embedder is told of {@code bugCheck}; the driver is empty when none is named. */
  static BugCheckReport report(BugCheck bugCheck) {
    return new BugCheckReport(bugCheck.code(), bugCheck.parameter1(), bugCheck.parameter2(),
        bugCheck.parameter3(), bugCheck.parameter4(), bugCheck.driver() == null ? "" : bugCheck.driver(),
        bugCheck.message(), bugCheck.time());
  }

  private static CrashDump dump(CrashReport report) {
    BugCheck bugCheck = report.bugCheck();
    return new CrashDump(report.id(), report(bugCheck), bugCheck.name().orElse(""),
        bugCheck.describe(), bugCheck.stack(), report.text(), report.textFile());
  }
}
