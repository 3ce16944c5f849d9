package ntio.kernel.pnp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ntio.api.KeyCreateResult;
import ntio.api.KeyNameResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;

/**
 * The PnP manager's part of the registry, read and written as the kernel reads its own
 * configuration (kernel handles, the System thread): device instance keys under {@code
 * CurrentControlSet\Enum}, class keys under {@code Control\Class\{GUID}}, service keys, and the
 * driver database {@code DriverDatabase\DeviceIds\<hardware id>} that stands in for INF matching.
 * The volatile {@code Control} subkey of an instance key holds what NT keeps there at run time.
 */
final class PnpRegistry {

  static final String MACHINE = "\\Registry\\Machine\\System";
  static final String ENUM = MACHINE + "\\CurrentControlSet\\Enum";
  static final String CLASS = MACHINE + "\\CurrentControlSet\\Control\\Class";
  static final String SERVICES = MACHINE + "\\CurrentControlSet\\Services";
  static final String DEVICE_IDS = MACHINE + "\\DriverDatabase\\DeviceIds";

  /** {@code CONFIGFLAG_DISABLED} in an instance key's ConfigFlags. */
  static final int CONFIGFLAG_DISABLED = 0x1;

  private final Registry registry;
  private final ObjectManager objects;
  private final KThread system;

  PnpRegistry(Registry registry, ObjectManager objects, KThread system) {
    this.registry = registry;
    this.objects = objects;
    this.system = system;
  }

  /** The values named, of the key {@code path}; a missing key or value is absent. */
  Map<String, RegValue> values(String path, String... names) {
    return registry.queryKernelValues(system, path, names);
  }

  /** A REG_SZ (or REG_EXPAND_SZ) value, or empty. */
  String string(String path, String name) {
    RegValue value = values(path, name).get(name);
    return value == null ? "" : value.stringValue().orElse("");
  }

  /** A REG_MULTI_SZ (or REG_SZ) value as a list, or an empty list. */
  List<String> multi(String path, String name) {
    RegValue value = values(path, name).get(name);
    if (value == null) {
      return List.of();
    }
    return value.multiStringValue().or(() -> value.stringValue().map(List::of)).orElse(List.of())
        .stream().filter(s -> !s.isEmpty()).toList();
  }

  /** A REG_DWORD value, or {@code otherwise}. */
  int dword(String path, String name, int otherwise) {
    RegValue value = values(path, name).get(name);
    return value == null ? otherwise : value.dwordValue().orElse(otherwise);
  }

  boolean exists(String path) {
    OpenResult opened = open(path);
    if (opened.status().isSuccess()) {
      objects.close(opened.handle(), system);
      return true;
    }
    return false;
  }

  /** The names of the subkeys of {@code path}, in the registry's order; empty when it is missing. */
  List<String> subkeys(String path) {
    OpenResult opened = open(path);
    if (!opened.status().isSuccess()) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    try {
      for (int index = 0; ; index++) {
        KeyNameResult name = registry.ntEnumerateKey(system, opened.handle(), index);
        if (!name.status().isSuccess()) {
          return names;
        }
        names.add(name.name());
      }
    } finally {
      objects.close(opened.handle(), system);
    }
  }

  /** Sets a value, creating the key and every missing key above it ({@code volatile} for new ones). */
  NtStatus set(String path, RegValue value, boolean isVolatile) {
    KeyCreateResult created = create(path, isVolatile);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    try {
      return registry.ntSetValueKey(system, created.handle(), UnicodeString.of(value.name()), value.type(),
          value.data());
    } finally {
      objects.close(created.handle(), system);
    }
  }

  private KeyCreateResult create(String path, boolean isVolatile) {
    int options = isVolatile ? KeyCreateResult.REG_OPTION_VOLATILE : 0;
    KeyCreateResult created = registry.ntCreateKey(system, AccessMask.KEY_ALL_ACCESS, attributes(path), options);
    if (created.status().equals(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND) && path.lastIndexOf('\\') > 0) {
      KeyCreateResult above = create(path.substring(0, path.lastIndexOf('\\')), isVolatile);
      if (!above.status().isSuccess()) {
        return above;
      }
      objects.close(above.handle(), system);
      created = registry.ntCreateKey(system, AccessMask.KEY_ALL_ACCESS, attributes(path), options);
    }
    return created;
  }

  /** Deletes {@code path} and everything under it; nothing when it is missing. */
  void deleteTree(String path) {
    for (String child : subkeys(path)) {
      deleteTree(path + "\\" + child);
    }
    OpenResult opened = registry.ntOpenKey(system, AccessMask.DELETE | AccessMask.KEY_READ, attributes(path));
    if (opened.status().isSuccess()) {
      try {
        registry.ntDeleteKey(system, opened.handle());
      } finally {
        objects.close(opened.handle(), system);
      }
    }
  }

  private OpenResult open(String path) {
    return registry.ntOpenKey(system, AccessMask.KEY_READ, attributes(path));
  }

  private static ObjectAttributes attributes(String path) {
    return new ObjectAttributes(Handle.NULL, UnicodeString.of(path),
        ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE);
  }
}
