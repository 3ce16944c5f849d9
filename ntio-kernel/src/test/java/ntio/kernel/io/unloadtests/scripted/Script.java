package ntio.kernel.io.unloadtests.scripted;

import java.util.OptionalInt;
import ntio.ddk.AccessMask;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The scripted driver's registry: it reads its script from {@code <RegistryPath>\Parameters} and
 * writes what it saw to {@code <RegistryPath>\Observed}, through its own image's services, as a
 * real driver reads and writes its service key.
 *
 * <p>Writes are serialized on this object, so read-modify-write of a counter or a log is whole.
 */
final class Script {

  /** How long a wait for a parameter the test sets goes on before it gives up. */
  private static final long WAIT_MILLIS = 20_000;

  private final KernelServices services;
  private final String registryPath;
  private final UnicodeString parameters;
  private final UnicodeString observed;

  Script(KernelServices services, String registryPath) {
    this.services = services;
    this.registryPath = registryPath;
    this.parameters = UnicodeString.of(registryPath + "\\" + ScriptedNames.PARAMETERS);
    this.observed = UnicodeString.of(registryPath + "\\" + ScriptedNames.OBSERVED);
  }

  String registryPath() {
    return registryPath;
  }

  /** A REG_DWORD parameter, or {@code absent}. */
  int dword(String name, int absent) {
    RegValue value = read(parameters, name);
    return value == null ? absent : value.dwordValue().orElse(absent);
  }

  /** A REG_SZ parameter, or null. */
  String string(String name) {
    RegValue value = read(parameters, name);
    return value == null ? null : value.stringValue().orElse(null);
  }

  private RegValue read(UnicodeString keyName, String valueName) {
    HandleResult key = services.openKey(keyName, AccessMask.KEY_READ);
    if (!key.status().isSuccess()) {
      return null;
    }
    try {
      ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of(valueName));
      return value.status().isSuccess() ? value.value() : null;
    } finally {
      services.close(key.handle());
    }
  }

  /**
   * Writes one observation. Nothing is written when the service key itself is gone (a test may
   * delete it under a loaded driver): the driver goes on, as a real one would.
   */
  synchronized void record(RegValue value) {
    HandleResult key = services.createKey(observed, AccessMask.KEY_ALL_ACCESS, 0);
    if (!key.status().isSuccess()) {
      return;
    }
    try {
      services.setValueKey(key.handle(), value);
    } finally {
      services.close(key.handle());
    }
  }

  /** Adds one to a REG_DWORD observation and returns the new value. */
  synchronized int increment(String name) {
    RegValue old = read(observed, name);
    OptionalInt count = old == null ? OptionalInt.empty() : old.dwordValue();
    int next = count.orElse(0) + 1;
    record(RegValue.dword(name, next));
    return next;
  }

  /** Appends {@code entry} to a REG_SZ observation, separated by a space. */
  synchronized void append(String name, String entry) {
    RegValue old = read(observed, name);
    String text = old == null || old.type() != RegType.REG_SZ ? "" : old.stringValue().orElse("");
    record(RegValue.string(name, text.isEmpty() ? entry : text + " " + entry));
  }

  /**
   * Waits until the test sets the REG_DWORD parameter {@code name} non-zero: true once it is,
   * false (recording {@link ScriptedNames#WAIT_TIMED_OUT}) if it never is within the bound.
   */
  boolean awaitParameter(String name) {
    long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
    while (dword(name, 0) == 0) {
      if (System.nanoTime() - deadline > 0) {
        record(RegValue.dword(ScriptedNames.WAIT_TIMED_OUT, 1));
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        record(RegValue.dword(ScriptedNames.WAIT_TIMED_OUT, 1));
        return false;
      }
    }
    return true;
  }
}
