package ntio.kernel.framework.disposetests;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The channel between a test and a framework driver image, whose classes its own loader loads:
 * the image's events in {@code <service key>\Observed\Events} (REG_MULTI_SZ), and the test's
 * go-ahead in {@code Parameters\Go} (DWORD). Install it with each image that uses it.
 */
public final class ObservedEvents {

  private static final long WAIT_MILLIS = 20_000;

  private final List<String> events = new ArrayList<>();
  private final KernelServices services;
  private final String key;

  public ObservedEvents(KernelServices services, String key) {
    this.services = services;
    this.key = key;
  }

  /** Waits (at most 20 s, then records that it gave up) until the test sets {@code Parameters\Go}. */
  public void awaitGo() {
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
    while (System.nanoTime() < deadline) {
      HandleResult opened = services.openKey(UnicodeString.of(key + "\\Parameters"), AccessMask.KEY_READ);
      if (opened.status().isSuccess()) {
        try {
          ValueResult go = services.queryValueKey(opened.handle(), UnicodeString.of("Go"));
          if (go.status().isSuccess() && go.value().dwordValue().orElse(0) != 0) {
            return;
          }
        } finally {
          services.close(opened.handle());
        }
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    record("gave up waiting for Go");
  }

  /** Appends {@code event} to {@code Observed\Events}. */
  public synchronized void record(String event) {
    events.add(event);
    HandleResult opened = services.createKey(UnicodeString.of(key + "\\Observed"), AccessMask.KEY_ALL_ACCESS, 0);
    if (!opened.status().isSuccess()) {
      return;
    }
    Handle handle = opened.handle();
    try {
      services.setValueKey(handle, RegValue.multiString("Events", List.copyOf(events)));
    } finally {
      services.close(handle);
    }
  }
}
