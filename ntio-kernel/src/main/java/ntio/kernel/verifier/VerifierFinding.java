package ntio.kernel.verifier;

import java.time.Instant;

/**
 * A non-fatal verifier finding: a rule broken in a way the verifier reports and lets pass, as a
 * DbgBreak is with no debugger attached. Fatal findings are bug checks instead.
 *
 * @param imageName the image the finding is against, such as {@code Tidy.jar}
 * @param check the rule, such as {@code V-KMDF-05} or {@code DV8-DEVICES-LEFT}
 * @param message what happened
 * @param at when it was recorded
 */
public record VerifierFinding(String imageName, String check, String message, Instant at) {}
