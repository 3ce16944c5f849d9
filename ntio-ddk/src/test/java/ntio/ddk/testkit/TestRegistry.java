package ntio.ddk.testkit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.Handle;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The registry of a {@link TestKernel}: keys by full path, compared without case as NT compares
 * them, each with its values; a test writes them, a driver opens and reads them with kernel
 * handles. Models the configuration manager (partial: no links, no security, no subkey
 * enumeration; a key exists once a value was set in it).
 */
final class TestRegistry {

  private final Map<String, Map<String, RegValue>> keys = new HashMap<>();
  private final Map<Integer, String> handles = new HashMap<>();
  private final AtomicInteger nextHandle = new AtomicInteger(4);

  /** Sets {@code value} in {@code keyPath}, creating the key. */
  synchronized void setValue(String keyPath, RegValue value) {
    keys.computeIfAbsent(fold(keyPath), k -> new LinkedHashMap<>()).put(fold(value.name()), value);
  }

  /** {@code ZwOpenKey}: a kernel handle to an existing key. */
  synchronized HandleResult openKey(UnicodeString keyName) {
    if (keyName == null || !keyName.isWellFormed()) {
      return new HandleResult(NtStatus.STATUS_OBJECT_NAME_INVALID, Handle.NULL);
    }
    String key = fold(keyName.text());
    if (!keys.containsKey(key)) {
      return new HandleResult(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, Handle.NULL);
    }
    int value = Handle.KERNEL_HANDLE_BIT | nextHandle.getAndAdd(4);
    handles.put(value, key);
    return new HandleResult(NtStatus.STATUS_SUCCESS, new Handle(value));
  }

  /** {@code ZwQueryValueKey}. */
  synchronized ValueResult queryValueKey(Handle key, UnicodeString valueName) {
    String path = key == null ? null : handles.get(key.value());
    if (path == null) {
      return new ValueResult(NtStatus.STATUS_INVALID_HANDLE, null);
    }
    RegValue value = keys.get(path).get(fold(valueName == null ? "" : valueName.text()));
    return value == null
        ? new ValueResult(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, null)
        : new ValueResult(NtStatus.STATUS_SUCCESS, value);
  }

  /** {@code ZwClose} of a key handle. */
  synchronized NtStatus close(Handle handle) {
    return handle != null && handles.remove(handle.value()) != null
        ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_INVALID_HANDLE;
  }

  private static String fold(String name) {
    return name.toUpperCase(Locale.ROOT);
  }
}
