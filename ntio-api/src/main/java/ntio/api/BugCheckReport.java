package ntio.api;

import java.time.Instant;
import java.util.Objects;

/**
 * What an embedder is told of a bug check ({@code KeBugCheckEx}): the stop code, its four
 * parameters, the driver it names, and a line for a person. The kernel halted before this was
 * sent; the full report (with the stack) is in the state directory's crash reports.
 *
 * @param code the 32-bit stop code, such as {@code 0xC4} (DRIVER_VERIFIER_DETECTED_VIOLATION)
 * @param parameter1 first parameter; for most codes the kind of violation
 * @param parameter2 second parameter
 * @param parameter3 third parameter
 * @param parameter4 fourth parameter
 * @param driver the driver named, such as {@code Leaky.jar}; empty when none is
 * @param message one line for a person
 * @param time when it was raised
 */
public record BugCheckReport(int code, long parameter1, long parameter2, long parameter3,
    long parameter4, String driver, String message, Instant time) {

  /** Checks the parts are present. */
  public BugCheckReport {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
  }
}
