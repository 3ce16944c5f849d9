package ntio.conformance.reactos;

import java.util.ArrayList;
import java.util.List;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.ValueResult;
import ntio.conformance.KernelResults;
import ntio.conformance.kernel.KernelOk;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;

/**
 * Reads a suite's kernel checks a few at a time: the ones recorded since the last read. A test
 * that makes hundreds of requests (IoReadWrite) asserts each request's driver checks right after
 * it, without reading the whole suite back every time. Reads the format {@link KernelOk} writes.
 */
final class KernelCheckLog {

  private final NtApi client;
  private final String suiteKey;
  private int read;

  KernelCheckLog(NtApi client, String suite) {
    this.client = client;
    this.suiteKey = KernelOk.ROOT_KEY + "\\" + suite;
  }

  /** The checks recorded since the previous call (all of them the first time). */
  List<KernelResults.Check> next() {
    OpenResult opened = client.openKey(AccessMask.KEY_READ, ObjectAttributes.of(suiteKey));
    if (!opened.status().isSuccess()) {
      return List.of();
    }
    Handle key = opened.handle();
    try {
      ValueResult count = client.queryValueKey(key, UnicodeString.of(KernelOk.COUNT_VALUE));
      int total = count.status().isSuccess() ? count.value().dwordValue().orElse(0) : 0;
      List<KernelResults.Check> checks = new ArrayList<>();
      for (int i = read + 1; i <= total; i++) {
        ValueResult value = client.queryValueKey(key, UnicodeString.of(KernelOk.valueName(i)));
        if (!value.status().isSuccess()) {
          throw new AssertionError("kernel check #" + i + " of " + suiteKey + ": " + value.status());
        }
        String text = value.value().stringValue().orElse("");
        checks.add(new KernelResults.Check(i, text.startsWith("pass: "),
            text.substring(Math.min(text.length(), "pass: ".length()))));
      }
      read = total;
      return checks;
    } finally {
      client.close(key);
    }
  }
}
