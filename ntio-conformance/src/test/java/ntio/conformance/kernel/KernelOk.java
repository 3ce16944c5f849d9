package ntio.conformance.kernel;

import java.util.IllegalFormatException;
import java.util.Locale;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The kernel half's {@code ok()}: a check made in driver code, reported to the user-mode half
 * through the registry. Wine's kernel halves report through a section shared with the test
 * process; ours write each check under {@code \Registry\Machine\Software\NtioConformance\<suite>},
 * which works alike in DriverEntry, in a dispatch routine, in a completion routine and in
 * DriverUnload, after which nothing else of the driver is left to ask.
 *
 * <p>Each check is a {@code REG_SZ} named by its 1-based index ({@code 00001}, {@code 00002}, …)
 * holding {@code "pass: <text>"} or {@code "fail: <text>"}; the DWORD {@value #COUNT_VALUE} holds
 * how many there are. {@link #begin} continues the numbering of checks already recorded for the
 * suite, so DriverEntry and DriverUnload may each begin their own. There is no {@code todo}: the
 * ports keep Windows' expectations.
 *
 * <p>This class is packed into every test driver's image (ntio.conformance.ConformanceHost does
 * it), so it uses only the DDK. An instance serializes its own checks; two instances writing one
 * suite at the same time would race on the count, so a driver keeps one instance per suite.
 */
public final class KernelOk {

  /** The key under which every suite's key is created. */
  public static final String ROOT_KEY = "\\Registry\\Machine\\Software\\NtioConformance";

  /** The DWORD holding the number of checks recorded. */
  public static final String COUNT_VALUE = "Count";

  private final KernelServices services;
  private final String suiteKey;
  private int count;

  private KernelOk(KernelServices services, String suiteKey, int count) {
    this.services = services;
    this.suiteKey = suiteKey;
    this.count = count;
  }

  /** The name of the value holding check number {@code index} (1-based). */
  public static String valueName(int index) {
    return String.format(Locale.ROOT, "%05d", index);
  }

  /**
   * Starts (or continues) recording checks for {@code suite}, creating its key.
   *
   * @throws IllegalStateException if the key cannot be created (the channel itself is broken, so
   *     nothing the driver checks could reach the test)
   */
  public static KernelOk begin(KernelServices services, String suite) {
    if (suite.isEmpty() || suite.contains("\\")) {
      throw new IllegalArgumentException("a suite is one key name: " + suite);
    }
    String suiteKey = ROOT_KEY + "\\" + suite;
    Handle root = create(services, ROOT_KEY);
    services.close(root);
    Handle key = create(services, suiteKey);
    try {
      var existing = services.queryValueKey(key, UnicodeString.of(COUNT_VALUE));
      int count = existing.status().isSuccess() ? existing.value().dwordValue().orElse(0) : 0;
      return new KernelOk(services, suiteKey, count);
    } finally {
      services.close(key);
    }
  }

  /**
   * Records one check: passed when {@code condition} holds, with the text {@code format} formatted
   * with {@code args} (as {@link String#format}, in the root locale).
   *
   * @return {@code condition}, so that a driver can act on a failed check as Wine's do
   */
  public synchronized boolean ok(boolean condition, String format, Object... args) {
    String text;
    try {
      text = String.format(Locale.ROOT, format, args);
    } catch (IllegalFormatException e) {
      text = format + " (bad format: " + e + ")";
    }
    count++;
    Handle key = create(services, suiteKey);
    try {
      put(key, RegValue.string(valueName(count), (condition ? "pass: " : "fail: ") + text));
      put(key, RegValue.dword(COUNT_VALUE, count));
    } finally {
      services.close(key);
    }
    return condition;
  }

  /** How many checks this suite holds so far. */
  public synchronized int count() {
    return count;
  }

  private void put(Handle key, RegValue value) {
    NtStatus status = services.setValueKey(key, value);
    if (!status.isSuccess()) {
      throw new IllegalStateException("cannot record a check in " + suiteKey + ": " + status);
    }
  }

  private static Handle create(KernelServices services, String keyName) {
    HandleResult created = services.createKey(UnicodeString.of(keyName), AccessMask.KEY_ALL_ACCESS, 0);
    if (!created.status().isSuccess()) {
      throw new IllegalStateException("cannot create " + keyName + ": " + created.status());
    }
    return created.handle();
  }
}
