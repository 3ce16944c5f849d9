package ntio.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.ValueResult;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;

/**
 * The user-mode side of {@link KernelOk}: the checks a kernel half recorded for one suite, read
 * back through a client's registry calls.
 *
 * @param suite the suite's key name
 * @param checks every check, in the order the driver made them
 */
public record KernelResults(String suite, List<Check> checks) {

  /**
   * One kernel-mode check.
   *
   * @param index its 1-based position in the suite
   * @param passed whether its condition held
   * @param text what it checked, as the driver formatted it
   */
  public record Check(int index, boolean passed, String text) {
    @Override
    public String toString() {
      return "#" + index + (passed ? " pass: " : " fail: ") + text;
    }
  }

  public KernelResults {
    checks = List.copyOf(checks);
  }

  /**
   * Reads the suite's checks. A suite no driver ever wrote has none.
   *
   * @throws AssertionError if the key exists but a recorded check cannot be read (the channel is
   *     broken, which must not look like a pass)
   */
  public static KernelResults read(NtApi client, String suite) {
    OpenResult opened = client.openKey(AccessMask.KEY_READ, ObjectAttributes.of(suiteKey(suite)));
    if (opened.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)) {
      return new KernelResults(suite, List.of());
    }
    if (!opened.status().isSuccess()) {
      throw new AssertionError("open " + suiteKey(suite) + ": " + opened.status());
    }
    Handle key = opened.handle();
    try {
      ValueResult count = client.queryValueKey(key, UnicodeString.of(KernelOk.COUNT_VALUE));
      if (!count.status().isSuccess()) {
        return new KernelResults(suite, List.of());
      }
      int n = count.value().dwordValue().orElseThrow(() -> new AssertionError("Count is not a DWORD"));
      List<Check> checks = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        ValueResult value = client.queryValueKey(key, UnicodeString.of(KernelOk.valueName(i)));
        if (!value.status().isSuccess()) {
          throw new AssertionError("kernel check #" + i + " of " + suite + " is missing: " + value.status());
        }
        String recorded = value.value().stringValue()
            .orElseThrow(() -> new AssertionError("kernel check is not a REG_SZ: " + value.value()));
        boolean passed = recorded.startsWith("pass: ");
        if (!passed && !recorded.startsWith("fail: ")) {
          throw new AssertionError("kernel check #" + n + " is malformed: " + recorded);
        }
        checks.add(new Check(i, passed, recorded.substring("pass: ".length())));
      }
      return new KernelResults(suite, checks);
    } finally {
      client.close(key);
    }
  }

  /** Reads the suite and asserts as {@link #assertAllPassed()}; returns what it read. */
  public static KernelResults assertAllPassed(NtApi client, String suite) {
    KernelResults results = read(client, suite);
    results.assertAllPassed();
    return results;
  }

  /**
   * Deletes the suite's key, so that the next driver starts from check 1.
   *
   * @return the status of {@code NtDeleteKey}, or of the open ({@code STATUS_OBJECT_NAME_NOT_FOUND}
   *     when there was nothing to clear)
   */
  public static NtStatus clear(NtApi client, String suite) {
    OpenResult opened = client.openKey(AccessMask.KEY_ALL_ACCESS, ObjectAttributes.of(suiteKey(suite)));
    if (!opened.status().isSuccess()) {
      return opened.status();
    }
    try {
      return client.deleteKey(opened.handle());
    } finally {
      client.close(opened.handle());
    }
  }

  /** The checks that failed. */
  public List<Check> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  /**
   * Passes only when at least one check was recorded and every one passed.
   *
   * @throws AssertionError listing every failed check with its index and text, or saying that
   *     none was recorded (a driver that never ran must not pass)
   */
  public void assertAllPassed() {
    if (checks.isEmpty()) {
      throw new AssertionError("no kernel check was recorded for " + suite
          + ": the driver did not run, or did not reach its checks");
    }
    List<Check> failed = failures();
    if (!failed.isEmpty()) {
      throw new AssertionError(failed.size() + " of " + checks.size() + " kernel checks of " + suite
          + " failed:\n" + failed.stream().map(Check::toString).collect(Collectors.joining("\n")));
    }
  }

  private static String suiteKey(String suite) {
    return KernelOk.ROOT_KEY + "\\" + suite;
  }
}
