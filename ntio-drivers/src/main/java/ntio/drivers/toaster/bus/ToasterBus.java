package ntio.drivers.toaster.bus;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.DeviceObject;

/**
 * The bus: the device extension of the bus's function device object (FDO). It knows the device
 * below (its PDO, the root device's), and the toasters plugged into it.
 *
 * <p>Thread-safety: {@link #children} and every child's {@code present}, {@code reported} and
 * {@code reportedMissing} are guarded by {@link #lock}. Plug, unplug and eject (any client's
 * thread) and the PnP dispatch of the FDO and of each PDO (the PnP manager's worker) meet there.
 * Nothing is sent to another driver or to the PnP manager while the lock is held; the methods
 * ending in {@code Locked} expect it held.
 */
final class ToasterBus {

  /** Guards {@link #children} and the children's presence flags. */
  final Object lock = new Object();

  /** The toasters plugged in and not yet deleted, in the order they were plugged in. Guarded by lock. */
  private final List<ToasterChild> children = new ArrayList<>();

  private final PnpStateTracker pnp = new PnpStateTracker();
  private final DeviceObject physicalDevice;
  /** The device this FDO is attached to: set once by AddDevice, before the FDO can be reached. */
  private DeviceObject lowerDevice;
  /** Whether {@link ToasterBusIoctl#LINK_NAME} exists: written by AddDevice and the PnP dispatch. */
  private boolean linked;

  ToasterBus(DeviceObject physicalDevice) {
    this.physicalDevice = physicalDevice;
  }

  /** The bus's own PDO, which {@code IoInvalidateDeviceRelations} names. */
  DeviceObject physicalDevice() {
    return physicalDevice;
  }

  DeviceObject lowerDevice() {
    return lowerDevice;
  }

  void setLowerDevice(DeviceObject lowerDevice) {
    this.lowerDevice = lowerDevice;
  }

  /** The FDO's PnP state. */
  PnpStateTracker pnp() {
    return pnp;
  }

  boolean linked() {
    return linked;
  }

  void setLinked(boolean linked) {
    this.linked = linked;
  }

  /** The child with {@code serialNumber}, present or not, or null. */
  ToasterChild findLocked(long serialNumber) {
    for (ToasterChild child : children) {
      if (child.serialNumber() == serialNumber) {
        return child;
      }
    }
    return null;
  }

  /** The children, present or not: a copy. */
  List<ToasterChild> childrenLocked() {
    return List.copyOf(children);
  }

  void addLocked(ToasterChild child) {
    children.add(child);
  }

  void removeLocked(ToasterChild child) {
    children.remove(child);
  }

  void clearLocked() {
    children.clear();
  }
}
