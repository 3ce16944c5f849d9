package ntio.kernel.pnp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import ntio.api.DeviceInstall;

/**
 * Device setup classes for {@code devcon install}: the class component of a root instance path
 * and the class GUID written as the instance key's ClassGUID. The classes Windows defines keep
 * their GUIDs ({@code devguid.h}); any other name gets a GUID derived from the name alone, so the
 * same class name always has the same GUID.
 */
final class DeviceClasses {

  private DeviceClasses() {}

  private static final Map<String, String> KNOWN = Map.of(
      "SYSTEM", "{4d36e97d-e325-11ce-bfc1-08002be10318}",
      "UNKNOWN", "{4d36e97e-e325-11ce-bfc1-08002be10318}",
      "TOASTER", "{b85b7c50-6a01-11d2-b841-00c04fad5171}");

  /**
   * The instance key's class component: the class name, or the hardware ID's last component,
   * upper-cased ({@code Root\ToasterBus} → {@code TOASTERBUS}).
   */
  static String instanceClass(DeviceInstall install) {
    String name = install.className().isBlank() ? install.hardwareId() : install.className();
    String last = name.substring(name.lastIndexOf('\\') + 1);
    return last.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_\\-]", "_");
  }

  /** The class GUID of {@code className} (or of {@code fallback} when it is blank), in braces. */
  static String classGuid(String className, String fallback) {
    String name = (className.isBlank() ? fallback : className).toUpperCase(Locale.ROOT);
    String known = KNOWN.get(name);
    if (known != null) {
      return known;
    }
    return "{" + UUID.nameUUIDFromBytes(("ntio device class " + name).getBytes(StandardCharsets.UTF_8)) + "}";
  }
}
