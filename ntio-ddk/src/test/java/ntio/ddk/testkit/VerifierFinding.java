package ntio.ddk.testkit;

/**
 * A non-fatal verifier finding a driver (or the framework for it) reported through a {@link
 * TestKernel}'s {@code verifierBreak}.
 *
 * @param driver the name of the driver whose services reported it, or null for a bare test's
 * @param check the rule that was broken, such as {@code V-KMDF-05}
 * @param message what happened
 */
public record VerifierFinding(String driver, String check, String message) {}
