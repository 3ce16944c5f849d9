package ntio.kernel.executive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import ntio.hostfs.HostFiles;

/**
 * The default crash handler: writes a crash report into {@code <stateDir>/crash/} and then stops
 * the kernel.
 *
 * <p>Each report is two files named by its id ({@code yyyyMMdd-HHmmss-SSS-NNNNNN}, from the bug
 * check's UTC time and sequence): {@code <id>.txt} for a person (the code with its name, the four
 * parameters, the driver, the message and the stack) and {@code <id>.json}, its machine-readable
 * twin. Each file is written to a hidden temporary file, forced to disk and moved into place, and
 * the JSON twin is moved last, so a report that {@link CrashReports} lists is always complete.
 *
 * <p>The stop callback runs after the files are written, and also when writing failed: a crashed
 * kernel stops whether or not its report could be saved. A write failure is then thrown as {@link
 * UncheckedIOException}, which {@link BugChecks} keeps as a suppressed exception of the bug check.
 */
public final class CrashReportWriter implements CrashHandler {

  /** The folder of the state directory that holds crash reports. */
  public static final String CRASH_DIRECTORY = "crash";

  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private final Path crashDirectory;
  private final Runnable stopKernel;
  private final Supplier<List<String>> findings;

  /**
   * A writer for the kernel whose state directory is {@code stateDir}.
   *
   * <p>Models the crash-dump settings of {@code CrashControl} (partial: a folder instead of a dump
   * file).
   *
   * @param stopKernel stops this kernel instance; called once per report, after writing
   */
  public CrashReportWriter(Path stateDir, Runnable stopKernel) {
    this(stateDir, stopKernel, List::of);
  }

  /**
   * As {@link #CrashReportWriter(Path, Runnable)}, the report also listing {@code findings}: the
   * verifier's non-fatal findings, one line each, asked for when the report is written (they
   * would otherwise vanish with the halted kernel).
   */
  public CrashReportWriter(Path stateDir, Runnable stopKernel, Supplier<List<String>> findings) {
    this.crashDirectory = Objects.requireNonNull(stateDir, "stateDir").resolve(CRASH_DIRECTORY);
    this.stopKernel = Objects.requireNonNull(stopKernel, "stopKernel");
    this.findings = Objects.requireNonNull(findings, "findings");
  }

  /**
   * Writes the report, then stops the kernel.
   *
   * <p>Models the crash-dump writer and the halt of {@code KeBugCheckEx} (partial: a text report
   * and its JSON twin instead of a memory dump).
   *
   * @throws UncheckedIOException if the report could not be written (the kernel is stopped anyway)
   */
  @Override
  public void onBugCheck(BugCheck bugCheck) {
    report(bugCheck);
  }

  /**
   * As {@link #onBugCheck}, returning the report's id ({@code ntio crash show ID}).
   *
   * @throws UncheckedIOException if the report could not be written (the kernel is stopped anyway)
   */
  public String report(BugCheck bugCheck) {
    try {
      return write(bugCheck);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not write crash report for " + bugCheck.describe() + " into " + crashDirectory, e);
    } finally {
      stopKernel.run();
    }
  }

  /** Writes both files and returns the report's id. */
  String write(BugCheck bugCheck) throws IOException {
    HostFiles.createPrivateDirectories(crashDirectory);
    String id = freeId(idOf(bugCheck));
    List<String> found = foundSoFar();
    writeAtomically(
        crashDirectory.resolve(id + CrashReports.TEXT_SUFFIX), renderText(id, bugCheck, found));
    writeAtomically(
        crashDirectory.resolve(id + CrashReports.JSON_SUFFIX), renderJson(id, bugCheck, found));
    return id;
  }

  /** The findings now; a failure to list them must not cost the report. */
  private List<String> foundSoFar() {
    try {
      return List.copyOf(findings.get());
    } catch (RuntimeException e) {
      return List.of("(the verifier's findings could not be listed: " + e + ")");
    }
  }

  /** The id a report of {@code bugCheck} gets when no report of that name exists yet. */
  static String idOf(BugCheck bugCheck) {
    return ID_TIME.format(bugCheck.time()) + String.format("-%06d", bugCheck.sequence());
  }

  /**
   * {@code id}, or {@code id-2}, {@code id-3}... if a report of that name exists: two kernels run
   * one after the other on the same state directory restart their sequence at 1.
   */
  private String freeId(String id) {
    String candidate = id;
    for (int n = 2; exists(candidate); n++) {
      candidate = id + "-" + n;
    }
    return candidate;
  }

  private boolean exists(String id) {
    return Files.exists(crashDirectory.resolve(id + CrashReports.TEXT_SUFFIX))
        || Files.exists(crashDirectory.resolve(id + CrashReports.JSON_SUFFIX));
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    Path temporary = target.resolveSibling("." + target.getFileName() + ".tmp");
    // A leftover temporary file keeps its old mode if reused: a new one is made 0600.
    Files.deleteIfExists(temporary);
    try (FileChannel channel =
        HostFiles.open(temporary, HostFiles.PRIVATE_FILE, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** The human-readable report. */
  static String renderText(String id, BugCheck bugCheck) {
    return renderText(id, bugCheck, List.of());
  }

  /** The human-readable report, with the verifier's non-fatal findings when there are any. */
  static String renderText(String id, BugCheck bugCheck, List<String> findings) {
    StringBuilder text = new StringBuilder();
    text.append("*** STOP: ").append(bugCheck.codeHex()).append(" (");
    long[] parameters = bugCheck.parameters();
    for (int i = 0; i < parameters.length; i++) {
      text.append(i == 0 ? "" : ", ").append(String.format("0x%016X", parameters[i]));
    }
    text.append(")\n");
    text.append(bugCheck.name().orElse("(unknown bug check)")).append("\n\n");
    text.append("Report:      ").append(id).append('\n');
    text.append("Time:        ").append(bugCheck.time()).append('\n');
    text.append("Sequence:    ").append(bugCheck.sequence()).append('\n');
    text.append("Bug check:   ").append(bugCheck.describe()).append('\n');
    for (int i = 0; i < parameters.length; i++) {
      text.append("Parameter ")
          .append(i + 1)
          .append(": ")
          .append(String.format("0x%016X", parameters[i]))
          .append('\n');
    }
    text.append("Driver:      ")
        .append(bugCheck.driver() == null ? "(none)" : bugCheck.driver())
        .append('\n');
    text.append("Message:     ").append(bugCheck.message()).append("\n\n");
    text.append("Stack:\n").append(bugCheck.stack());
    if (!bugCheck.stack().endsWith("\n")) {
      text.append('\n');
    }
    if (!findings.isEmpty()) {
      text.append("\nVerifier findings (non-fatal, oldest first):\n");
      findings.forEach(finding -> text.append("  ").append(finding).append('\n'));
    }
    return text.toString();
  }

  /** The machine-readable twin: one JSON object. */
  static String renderJson(String id, BugCheck bugCheck) {
    return renderJson(id, bugCheck, List.of());
  }

  /** The machine-readable twin, with a {@code "verifierFindings"} array of lines. */
  static String renderJson(String id, BugCheck bugCheck, List<String> findings) {
    StringBuilder json = new StringBuilder("{\n");
    json.append("  \"id\": ").append(Json.quote(id)).append(",\n");
    json.append("  \"sequence\": ").append(bugCheck.sequence()).append(",\n");
    json.append("  \"time\": ").append(Json.quote(bugCheck.time().toString())).append(",\n");
    json.append("  \"code\": ").append(Json.quote(bugCheck.codeHex())).append(",\n");
    json.append("  \"name\": ").append(Json.quoteOrNull(bugCheck.name().orElse(null)));
    json.append(",\n  \"parameters\": [");
    long[] parameters = bugCheck.parameters();
    for (int i = 0; i < parameters.length; i++) {
      json.append(i == 0 ? "" : ", ").append(Json.quote(BugCheck.hex(parameters[i])));
    }
    json.append("],\n");
    json.append("  \"driver\": ").append(Json.quoteOrNull(bugCheck.driver())).append(",\n");
    json.append("  \"message\": ").append(Json.quote(bugCheck.message())).append(",\n");
    json.append("  \"stack\": ").append(Json.quote(bugCheck.stack())).append(",\n");
    json.append("  \"verifierFindings\": [");
    for (int i = 0; i < findings.size(); i++) {
      json.append(i == 0 ? "" : ", ").append(Json.quote(findings.get(i)));
    }
    json.append("]\n");
    return json.append("}\n").toString();
  }
}
