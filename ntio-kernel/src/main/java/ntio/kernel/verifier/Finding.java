package ntio.kernel.verifier;

import java.time.Instant;
import java.util.Objects;

/**
 * A violation the verifier reports without stopping the machine: what a checked build prints and
 * breaks into the debugger for, then lets run on. Models the verifier's {@code DbgPrint} plus
 * breakpoint findings (partial: recorded, never a break).
 *
 * @param driver the image or service the finding is against, such as {@code Echo.jar}
 * @param check the rule's identifier, such as {@code DV8} or {@code 0xC9/0x0E}
 * @param message one line for a person
 * @param time when it was recorded, by the kernel's clock
 */
public record Finding(String driver, String check, String message, Instant time) {

  /** Checks that nothing is null. */
  public Finding {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
  }
}
