package ntio.kernel.pnp;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.RegValue;

/**
 * A service's volatile {@code Enum} key: {@code Count} and the values {@code 0} … {@code Count-1}
 * naming the instance paths of the started devices the service drives, as NT keeps them
 * ({@code PiSetServiceEnumKey}, partial: no NextInstance). NT reads the list when a boot driver
 * initializes (B42); here the root enumeration after the start drivers' pass brings those devices
 * up, and the list is what a tool reads to see which devices a service serves.
 */
final class ServiceEnum {

  private final PnpRegistry registry;

  ServiceEnum(PnpRegistry registry) {
    this.registry = registry;
  }

  private static String key(String service) {
    return PnpRegistry.SERVICES + "\\" + service + "\\Enum";
  }

  /** The instance paths listed for {@code service}, in order. */
  List<String> list(String service) {
    int count = registry.dword(key(service), "Count", 0);
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String path = registry.string(key(service), Integer.toString(i));
      if (!path.isEmpty()) {
        paths.add(path);
      }
    }
    return paths;
  }

  /** Lists {@code instancePath} for {@code service} (once). */
  void add(String service, String instancePath) {
    if (service.isEmpty() || !registry.exists(PnpRegistry.SERVICES + "\\" + service)) {
      return;
    }
    List<String> paths = list(service);
    if (paths.stream().noneMatch(p -> p.equalsIgnoreCase(instancePath))) {
      paths.add(instancePath);
      write(service, paths);
    }
  }

  /** Takes {@code instancePath} off {@code service}'s list. */
  void remove(String service, String instancePath) {
    if (service.isEmpty()) {
      return;
    }
    List<String> paths = new ArrayList<>(list(service));
    if (paths.removeIf(p -> p.equalsIgnoreCase(instancePath))) {
      write(service, paths);
    }
  }

  private void write(String service, List<String> paths) {
    registry.deleteTree(key(service));
    registry.set(key(service), RegValue.dword("Count", paths.size()), true);
    for (int i = 0; i < paths.size(); i++) {
      registry.set(key(service), RegValue.string(Integer.toString(i), paths.get(i)), true);
    }
  }
}
