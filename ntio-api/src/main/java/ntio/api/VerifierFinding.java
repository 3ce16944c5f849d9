package ntio.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Something the verifier found that does not stop the machine: a non-fatal finding, kept for
 * {@code verifier /query} and for tests. Fatal findings are bug checks instead. No NT counterpart
 * (Driver Verifier logs such findings to the debugger; ntio keeps them).
 *
 * @param imageName the image it is about, such as {@code Leaky.jar}
 * @param check which check found it, such as {@code Verifier.LOADER_REACHABLE}
 * @param message what was found, for people
 * @param at when it was recorded
 */
public record VerifierFinding(String imageName, String check, String message, Instant at) {

  public VerifierFinding {
    Objects.requireNonNull(imageName, "imageName");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }
}
