package ntio.kernel.executive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the crash reports that {@link CrashReportWriter} left in a state directory: what {@code
 * ntio crash ls} and {@code ntio crash show ID} show.
 *
 * <p>A report is listed once its JSON twin exists (the writer moves it into place last). Reading
 * does not need a running kernel; it only reads files.
 */
public final class CrashReports {

  static final String TEXT_SUFFIX = ".txt";
  static final String JSON_SUFFIX = ".json";

  /** Ids are file names the writer made; anything else (a path, "..") is no report. */
  private static final Pattern ID = Pattern.compile("[0-9A-Za-z][0-9A-Za-z-]*");

  private final Path crashDirectory;

  /**
   * The reports of the kernel whose state directory is {@code stateDir}.
   *
   * <p>Models the {@code %SystemRoot%\Minidump} folder (partial: text reports, not dumps).
   */
  public CrashReports(Path stateDir) {
    this.crashDirectory =
        Objects.requireNonNull(stateDir, "stateDir").resolve(CrashReportWriter.CRASH_DIRECTORY);
  }

  /**
   * Every well-formed report, oldest first (ids sort by time, then sequence). A report whose files
   * are unreadable or malformed is left out, so that one damaged file does not hide the others;
   * {@link #load} names what is wrong with it.
   *
   * <p>Models listing the dump folder (full).
   *
   * @throws UncheckedIOException if the crash folder exists but cannot be listed
   */
  public List<CrashReport> list() {
    if (!Files.isDirectory(crashDirectory)) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(crashDirectory)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.endsWith(JSON_SUFFIX))
          .map(name -> name.substring(0, name.length() - JSON_SUFFIX.length()))
          .filter(id -> ID.matcher(id).matches())
          .sorted()
          .forEach(ids::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list crash reports in " + crashDirectory, e);
    }
    List<CrashReport> reports = new ArrayList<>();
    for (String id : ids) {
      try {
        load(id).ifPresent(reports::add);
      } catch (UncheckedIOException malformed) {
        // Left out by contract; load(id) reports it to whoever asks for that one.
      }
    }
    return List.copyOf(reports);
  }

  /**
   * The report with this id, or empty if there is none (or {@code id} is not a report id).
   *
   * <p>Models opening one dump, as the debugger's {@code !analyze} would (partial).
   *
   * @throws UncheckedIOException if the report exists but cannot be read or is malformed; the
   *     message names the file and the problem
   */
  public Optional<CrashReport> load(String id) {
    if (!ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Path jsonFile = crashDirectory.resolve(id + JSON_SUFFIX);
    Path textFile = crashDirectory.resolve(id + TEXT_SUFFIX);
    String json;
    String text;
    try {
      json = Files.readString(jsonFile, StandardCharsets.UTF_8);
      text = Files.readString(textFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read crash report " + id, e);
    }
    try {
      return Optional.of(new CrashReport(id, parse(json), text, textFile));
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new UncheckedIOException(
          new IOException("malformed crash report " + jsonFile + ": " + e.getMessage(), e));
    }
  }

  private static BugCheck parse(String json) {
    if (!(Json.parse(json) instanceof Map<?, ?> fields)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    List<?> parameters = (List<?>) require(fields, "parameters");
    if (parameters.size() != 4) {
      throw new IllegalArgumentException("expected 4 parameters, found " + parameters.size());
    }
    long[] p = new long[4];
    for (int i = 0; i < 4; i++) {
      p[i] = unsignedHex((String) parameters.get(i));
    }
    Instant time;
    try {
      time = Instant.parse((String) require(fields, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("bad time: " + e.getMessage(), e);
    }
    return new BugCheck(
        (int) unsignedHex((String) require(fields, "code")),
        p[0],
        p[1],
        p[2],
        p[3],
        (String) fields.get("driver"),
        (String) require(fields, "message"),
        (String) require(fields, "stack"),
        time,
        (Long) require(fields, "sequence"));
  }

  private static Object require(Map<?, ?> fields, String name) {
    Object value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("missing \"" + name + "\"");
    }
    return value;
  }

  private static long unsignedHex(String value) {
    if (value == null || !value.startsWith("0x") || value.length() < 3 || value.length() > 18) {
      throw new IllegalArgumentException("expected 0x and 1 to 16 hex digits, found " + value);
    }
    return Long.parseUnsignedLong(value.substring(2), 16);
  }
}
