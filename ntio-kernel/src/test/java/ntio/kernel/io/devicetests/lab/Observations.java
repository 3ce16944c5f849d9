package ntio.kernel.io.devicetests.lab;

import ntio.ddk.AccessMask;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * What the lab driver saw, written where a test can read it: values under
 * {@code <RegistryPath>\Observed}, set through the driver's own kernel services as a real driver
 * writes its registry. Numbers are {@code REG_DWORD}, text is {@code REG_SZ}.
 *
 * <p>Thread-safe: each write opens, sets and closes the key; counters are read and written under
 * one lock so that two requests counted at once never lose an increment.
 */
public final class Observations {

  private final KernelServices services;
  private final UnicodeString keyName;
  private final Object counterLock = new Object();

  /** Observations written under {@code keyName} (a full registry path) through {@code services}. */
  public Observations(KernelServices services, String keyName) {
    this.services = services;
    this.keyName = UnicodeString.of(keyName);
  }

  /** Sets a {@code REG_DWORD}. */
  public void put(String name, int value) {
    write(RegValue.dword(name, value));
  }

  /** Sets a {@code REG_SZ}. */
  public void put(String name, String text) {
    write(RegValue.string(name, text));
  }

  /** Adds one to a {@code REG_DWORD} counter that starts at 0. */
  void increment(String name) {
    synchronized (counterLock) {
      HandleResult key = services.createKey(keyName, AccessMask.KEY_READ | AccessMask.KEY_WRITE, 0);
      if (!key.status().isSuccess()) {
        return;
      }
      try {
        ValueResult old = services.queryValueKey(key.handle(), UnicodeString.of(name));
        int count = old.status().isSuccess() ? old.value().dwordValue().orElse(0) : 0;
        services.setValueKey(key.handle(), RegValue.dword(name, count + 1));
      } finally {
        services.close(key.handle());
      }
    }
  }

  private void write(RegValue value) {
    HandleResult key = services.createKey(keyName, AccessMask.KEY_WRITE, 0);
    if (!key.status().isSuccess()) {
      return;
    }
    try {
      services.setValueKey(key.handle(), value);
    } finally {
      services.close(key.handle());
    }
  }
}
