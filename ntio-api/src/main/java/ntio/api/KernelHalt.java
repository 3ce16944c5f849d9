package ntio.api;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a kernel stopped serving: the bug check that halted it and the crash report written about
 * it. What a client is told when its kernel halts ({@link NtApi#kernelHalt()}), what a host logs,
 * and what an embedder's {@link NtSystem#onHalt} listener gets. No NT counterpart: the blue
 * screen's STOP line and the dump file's name, together.
 *
 * @param bugCheck the bug check ({@code KeBugCheckEx}'s code, parameters and driver)
 * @param image the image file of the driver the bug check names, such as {@code Echo.jar} (a bug
 *     check may name a driver by its service); the name it gives when no image is known for it,
 *     empty when it names none
 * @param reportId the crash report's id, for {@code ntio crash show ID}; empty when the report
 *     could not be written
 */
public record KernelHalt(BugCheckReport bugCheck, String image, String reportId) {

  /** Checks the parts are present. */
  public KernelHalt {
    Objects.requireNonNull(bugCheck, "bugCheck");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(reportId, "reportId");
  }

  /** The report's id, or empty when none was written. */
  public Optional<String> report() {
    return reportId.isEmpty() ? Optional.empty() : Optional.of(reportId);
  }

  /**
   * One line for a person: {@code kernel halted: bug check 0x000000C4 in Leaky.jar — `ntio crash
   * show 20261207-191500-000-000001`}. The driver part is left out when the bug check names none;
   * without a report the line says so.
   */
  public String line() {
    StringBuilder line = new StringBuilder("kernel halted: bug check ")
        .append(String.format("0x%08X", bugCheck.code()));
    if (!image.isEmpty()) {
      line.append(" in ").append(image);
    }
    line.append(" — ");
    line.append(reportId.isEmpty() ? "no crash report was written" : "`ntio crash show " + reportId + "`");
    return line.toString();
  }
}
