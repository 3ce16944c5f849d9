package ntio.api;

import java.util.List;
import java.util.Objects;

/**
 * What {@code devcon install} asks for: a root-enumerated device with a hardware ID, served by an
 * installed service, with optional filters. The PnP manager writes its instance key under {@code
 * CurrentControlSet\Enum\Root\<class>\NNNN} and brings it up.
 *
 * @param hardwareId the hardware ID ({@code Root\ToasterBus}); its last component, upper-cased,
 *     is the instance key's class component when {@code className} is empty
 * @param service the function driver's service name (a key under {@code Services})
 * @param className the device class's name ({@code System}); empty to derive it from the ID
 * @param lowerFilters lower filter services, in load order
 * @param upperFilters upper filter services, in load order
 */
public record DeviceInstall(String hardwareId, String service, String className,
    List<String> lowerFilters, List<String> upperFilters) {

  /** Checks the fields and copies the lists. */
  public DeviceInstall {
    Objects.requireNonNull(hardwareId, "hardwareId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(className, "className");
    lowerFilters = List.copyOf(lowerFilters);
    upperFilters = List.copyOf(upperFilters);
  }
}
