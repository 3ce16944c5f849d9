package ntio.drivers.toaster.bus;

import ntio.ddk.DeviceObject;

/**
 * One toaster on the bus: the device extension of its physical device object (PDO).
 *
 * <p>{@link #present} and {@link #reportedMissing} are guarded by the lock of the bus the toaster
 * was plugged into ({@link ToasterBus#lock}): unplug and eject write the first, the bus's answer to
 * BusRelations the second, and the PDO's IRP_MN_REMOVE_DEVICE reads both, on different threads.
 * The PDO's {@link #pnp} state is written by its PnP dispatch alone.
 */
final class ToasterChild {

  private final ToasterBus bus;
  private final long serialNumber;
  private final PnpStateTracker pnp = new PnpStateTracker();
  /** The PDO: set once, before the child is published to the bus's list. */
  private DeviceObject pdo;

  /** Whether the toaster is plugged in; false once unplugged or ejected. Guarded by the bus's lock. */
  boolean present = true;
  /** Whether the bus has left it out of an answer to BusRelations. Guarded by the bus's lock. */
  boolean reportedMissing;
  /** Whether the bus has listed it in an answer to BusRelations. Guarded by the bus's lock. */
  boolean reported;

  ToasterChild(ToasterBus bus, long serialNumber) {
    this.bus = bus;
    this.serialNumber = serialNumber;
  }

  /** The bus this toaster was plugged into. */
  ToasterBus bus() {
    return bus;
  }

  /** The serial number, unsigned, which is also its instance ID. */
  long serialNumber() {
    return serialNumber;
  }

  /** The PDO's PnP state. */
  PnpStateTracker pnp() {
    return pnp;
  }

  DeviceObject pdo() {
    return pdo;
  }

  void setPdo(DeviceObject pdo) {
    this.pdo = pdo;
  }
}
