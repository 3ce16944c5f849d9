package ntio.api;

import java.util.Objects;

/**
 * One device object in a devnode's stack, as {@code devcon stack} shows it.
 *
 * @param role {@code "PDO"}, {@code "LowerFilter"}, {@code "FDO"} or {@code "UpperFilter"}
 * @param driverName the driver object's name ({@code \Driver\Toaster})
 * @param service the service that driver was loaded from; empty for a builtin driver
 * @param deviceName the device object's name ({@code \Device\00000003}); empty when unnamed
 */
public record DeviceStackLayer(String role, String driverName, String service, String deviceName) {

  /** Checks the fields. */
  public DeviceStackLayer {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(deviceName, "deviceName");
  }
}
