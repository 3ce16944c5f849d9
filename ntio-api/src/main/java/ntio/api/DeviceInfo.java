package ntio.api;

import java.util.List;

/**
 * What {@code !devobj} shows of a device object.
 *
 * @param name the device's name, such as {@code \Device\Echo}, or empty when unnamed
 * @param driver the owning driver's name, such as {@code \Driver\Echo}
 * @param deviceType the device type ({@code FILE_DEVICE_…})
 * @param referenceCount open references (files opened on it and not yet closed)
 * @param flags the {@code DO_…} flags
 * @param extensionFlags the {@code DOE_…} flags of its device object extension
 * @param flagNames the names of the set {@code DO_…} and {@code DOE_…} flags
 * @param stackSize its {@code StackSize}
 * @param attachedDevice the device attached on top of it, or empty
 * @param attachedTo the device it is attached to (its lower device), or empty
 */
public record DeviceInfo(String name, String driver, int deviceType, int referenceCount, int flags,
    int extensionFlags, List<String> flagNames, int stackSize, String attachedDevice, String attachedTo) {

  /** Copies the flag names. */
  public DeviceInfo {
    flagNames = List.copyOf(flagNames);
  }
}
