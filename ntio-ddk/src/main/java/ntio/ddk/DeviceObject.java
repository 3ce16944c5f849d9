package ntio.ddk;

import java.util.Optional;

/**
 * A device: what clients open and requests are sent to. Models {@code DEVICE_OBJECT} (partial: no
 * VPB, no device queue, no timer).
 *
 * <p>Two counts matter and are kept apart: the object manager's pointer count (memory) and
 * {@link #referenceCount()}, the I/O manager's count of opens. Unload and delete decisions use the
 * second, with {@link #attachedDevice()} and the {@code DOE_*} flags.
 */
public interface DeviceObject {

  /** {@code IO_TYPE_DEVICE}. */
  int TYPE = 3;

  /** {@code Type}, the {@code IO_TYPE_*} code: always {@link #TYPE}. */
  default int ioType() {
    return TYPE;
  }

  /** {@code DriverObject}: the driver that created the device. */
  DriverObject driverObject();

  /** {@code NextDevice}: the device the driver created before this one, or null. */
  DeviceObject nextDevice();

  /** {@code AttachedDevice}: the device attached on top of this one, or null. */
  DeviceObject attachedDevice();

  /** {@code Flags}: {@code DO_*}, see {@link DeviceFlags}. */
  int flags();

  /**
   * Sets {@code DO_*} bits the driver owns, such as {@code DO_BUFFERED_IO}.
   *
   * @throws IllegalArgumentException for bits only the I/O manager sets
   */
  void setFlags(int flags);

  /**
   * Clears {@code DO_*} bits the driver owns; clearing {@link DeviceFlags#DO_DEVICE_INITIALIZING}
   * is how a device created outside DriverEntry becomes openable.
   *
   * @throws IllegalArgumentException for bits only the I/O manager clears
   */
  void clearFlags(int flags);

  /** {@code Characteristics}: {@code FILE_*} device characteristics. */
  int characteristics();

  /** {@code DeviceType}: {@code FILE_DEVICE_*}, see {@link DeviceTypes}. */
  int deviceType();

  /** {@code StackSize}: how many stack locations a request sent here needs. */
  int stackSize();

  /** {@code ReferenceCount}: the I/O manager's count of opens of this device. */
  int referenceCount();

  /** {@code AlignmentRequirement}. */
  int alignmentRequirement();

  /** {@code SectorSize}. */
  int sectorSize();

  /** {@code DeviceObjectExtension}. */
  DeviceObjectExtension deviceObjectExtension();

  /** {@code DeviceExtension}: the object the driver gave at creation, or null. */
  Object deviceExtension();

  /**
   * {@code DeviceExtension} as the driver's own type.
   *
   * @throws ClassCastException if the extension is of another type
   */
  default <T> T deviceExtension(Class<T> type) {
    return type.cast(deviceExtension());
  }

  /** The device's full name, such as {@code \Device\Echo}, while it has one. */
  Optional<String> deviceName();
}
