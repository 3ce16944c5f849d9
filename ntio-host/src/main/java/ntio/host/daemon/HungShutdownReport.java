package ntio.host.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import ntio.api.RunningDriverCall;
import ntio.kernel.CrashDumps;
import ntio.hostfs.HostFiles;

/**
 * The report a host writes when driver code outlived its shutdown's grace period: which driver
 * routines were still running, with their stacks, and where the shutdown itself was waiting. Kept
 * next to the kernel's crash reports, as {@code <state>/crash/hung-shutdown-<time>.txt}, mode 0600
 * (it holds stacks, which may name paths and data).
 */
final class HungShutdownReport {

  /** The report file's name prefix inside the crash directory. */
  static final String PREFIX = "hung-shutdown-";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private HungShutdownReport() {}

  /** One line naming the hung drivers, for the log and the exit message. */
  static String summary(List<RunningDriverCall> hung, Duration grace) {
    String names = hung.isEmpty()
        ? "no DriverEntry or DriverUnload (a dispatch routine or shutdown notification?)"
        : hung.stream().map(call -> call.routine() + " of " + call.driver())
            .collect(Collectors.joining(", "));
    return "driver code did not finish within the shutdown grace period of " + grace.toMillis()
        + " ms: " + names;
  }

  /**
   * Writes the report.
   *
   * @param shutdown the thread running the shutdown's driver phase, whose stack says where it
   *     waits
   * @return the file written
   */
  static Path write(Path stateDirectory, List<RunningDriverCall> hung, Thread shutdown, Duration grace)
      throws IOException {
    Path directory = stateDirectory.resolve(CrashDumps.CRASH_DIRECTORY);
    HostFiles.createPrivateDirectories(directory);
    Instant now = Instant.now();
    Path file = directory.resolve(PREFIX + STAMP.format(now) + ".txt");
    StringBuilder text = new StringBuilder();
    text.append("ntio host shutdown at ").append(now).append('\n')
        .append(summary(hung, grace)).append("\n\n");
    for (RunningDriverCall call : hung) {
      text.append(call.describedWithStack()).append("\n\n");
    }
    text.append("The shutdown was waiting on thread ").append(shutdown.getName()).append(':')
        .append(Arrays.stream(shutdown.getStackTrace()).map(frame -> "\n\tat " + frame)
            .collect(Collectors.joining()))
        .append('\n');
    HostFiles.createFile(file, HostFiles.PRIVATE_FILE);
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    return file;
  }
}
