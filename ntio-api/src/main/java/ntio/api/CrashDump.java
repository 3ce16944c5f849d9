package ntio.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One crash report read back from a kernel's state directory: what {@code ntio crash} lists and
 * shows. Models a dump file of {@code %SystemRoot%\Minidump} as {@code !analyze} reads it
 * (partial: a text report, not a memory dump).
 *
 * @param id the report's id, from its time and sequence, for example {@code
 *     20250101-120000-000-000001}
 * @param bugCheck the bug check the report records
 * @param codeName the stop code's NT name, such as {@code BAD_POOL_CALLER}; empty when ntio does
 *     not know the code
 * @param stopLine the bug check as the blue screen's STOP line prints it, such as {@code
 *     0x000000C4 (DRIVER_VERIFIER_DETECTED_VIOLATION) (0x62, 0xFFFFA00000000010, 0x0, 0x0)}
 * @param stack the Java stack where the bug check was raised; may be empty
 * @param text the human-readable report, as written
 * @param textFile where the human-readable report lives
 */
public record CrashDump(String id, BugCheckReport bugCheck, String codeName, String stopLine,
    String stack, String text, Path textFile) {

  /** Checks the id, the bug check and the file are present. */
  public CrashDump {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bugCheck, "bugCheck");
    Objects.requireNonNull(textFile, "textFile");
  }

  /** The stop code as {@code 0x000000C4}, as the STOP line prints it. */
  public String codeHex() {
    return String.format("0x%08X", bugCheck.code());
  }
}
