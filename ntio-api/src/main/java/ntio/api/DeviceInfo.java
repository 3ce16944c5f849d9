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
 * @param history the device's last state transitions, oldest first, each as {@code STATE (cause)}
 *     — {@code ACTIVE (IoCreateDevice)}, {@code UNLOAD_PENDING (NtUnloadDriver)}…
 * @param driverHistory its driver's last state transitions, in the same form
 */
public record DeviceInfo(String name, String driver, int deviceType, int referenceCount, int flags,
    int extensionFlags, List<String> flagNames, int stackSize, String attachedDevice, String attachedTo,
    List<String> history, List<String> driverHistory) {

  /** Copies the lists. */
  public DeviceInfo {
    flagNames = List.copyOf(flagNames);
    history = List.copyOf(history);
    driverHistory = List.copyOf(driverHistory);
  }
}
