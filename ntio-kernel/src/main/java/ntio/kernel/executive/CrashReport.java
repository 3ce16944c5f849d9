package ntio.kernel.executive;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One crash report read back from a state directory: what {@code ntio crash show ID} prints.
 *
 * @param id the report's id, from its time and sequence, for example {@code
 *     20250101-120000-000-000001}
 * @param bugCheck the bug check, rebuilt from the report's JSON twin
 * @param text the human-readable report, as written
 * @param textFile where the human-readable report lives
 */
public record CrashReport(String id, BugCheck bugCheck, String text, Path textFile) {

  /** Checks the components. */
  public CrashReport {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bugCheck, "bugCheck");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(textFile, "textFile");
  }
}
