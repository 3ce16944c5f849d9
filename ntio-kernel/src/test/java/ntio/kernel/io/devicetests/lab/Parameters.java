package ntio.kernel.io.devicetests.lab;

import java.util.List;
import ntio.ddk.AccessMask;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.UnicodeString;

/**
 * How a test drives the lab driver: values under {@code <RegistryPath>\Parameters}, read when they
 * are needed (so a test may change the unload script after the load).
 */
final class Parameters {

  private final KernelServices services;
  private final UnicodeString keyName;

  Parameters(KernelServices services, String keyName) {
    this.services = services;
    this.keyName = UnicodeString.of(keyName);
  }

  /** A {@code REG_DWORD}, or {@code fallback} when it is absent or not a DWORD. */
  int dword(String name, int fallback) {
    ValueResult value = query(name);
    return value != null ? value.value().dwordValue().orElse(fallback) : fallback;
  }

  /** The strings of a {@code REG_MULTI_SZ}; empty when it is absent. */
  List<String> lines(String name) {
    ValueResult value = query(name);
    return value != null ? value.value().multiStringValue().orElse(List.of()) : List.of();
  }

  private ValueResult query(String name) {
    HandleResult key = services.openKey(keyName, AccessMask.KEY_READ);
    if (!key.status().isSuccess()) {
      return null;
    }
    try {
      ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of(name));
      return value.status().isSuccess() ? value : null;
    } finally {
      services.close(key.handle());
    }
  }
}
