package ntio.conformance.reactos;

import java.util.function.BiConsumer;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.DriverObject;

/**
 * The kmtest {@code ok()} of a ported ReactOS driver half: every check is recorded under a name
 * that says which upstream function made it, so the JUnit half can assert that each expected
 * check ran and passed (a check that never ran is as much a failure as one that failed).
 *
 * <p>Packed into the driver images next to the harness's {@link KernelOk}; holds no static state.
 */
final class KmtChecks {

  private final BiConsumer<String, String> recorder;

  /** The checks of {@code suite}, recorded where the test reads them back. */
  static KmtChecks forSuite(DriverObject driver, String suite) {
    KernelOk ok = KernelOk.begin(driver.services(), suite);
    return new KmtChecks((check, failure) -> ok.ok(failure == null, "%s", text(check, failure)));
  }

  /** The text a check is recorded with: its name, and what was seen when it failed. */
  static String text(String check, String failure) {
    return failure == null ? check : check + SEPARATOR + failure;
  }

  /** Separates a check's name from what a failed check saw, in the recorded text. */
  static final String SEPARATOR = " | ";

  /**
   * @param recorder records one check: its name, and null when it passed or what was seen when it
   *     failed
   */
  KmtChecks(BiConsumer<String, String> recorder) {
    this.recorder = recorder;
  }

  /** kmtest's {@code ok(condition, ...)}: records {@code check} as passed or failed with {@code seen}. */
  void ok(String check, boolean condition, Object seen) {
    recorder.accept(check, condition ? null : "got " + seen);
  }

  /** kmtest's {@code ok_eq_*}: {@code check} passes when {@code actual} equals {@code expected}. */
  void eq(String check, Object expected, Object actual) {
    boolean equal = expected == null ? actual == null : expected.equals(actual);
    recorder.accept(check, equal ? null : "expected " + expected + ", got " + actual);
  }

  /** {@code ok_eq_pointer}: identity, as a pointer comparison is. */
  void same(String check, Object expected, Object actual) {
    recorder.accept(check, expected == actual ? null : "expected " + expected + ", got " + actual);
  }

  /** An {@code ok_eq_hex} of two flag words, shown in hexadecimal. */
  void hex(String check, int expected, int actual) {
    recorder.accept(check, expected == actual ? null
        : String.format("expected 0x%X, got 0x%X", expected, actual));
  }
}
