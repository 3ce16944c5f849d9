package ntio.ddk.testkit;

import java.util.Optional;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceObjectExtension;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverObject;

/**
 * A device of a {@link TestKernel}: its name, its extension, the driver that created it (null for
 * one a test made on its own) and the device it is attached on top of. Models {@code
 * DEVICE_OBJECT} (partial: no flags a driver can change, no attachment on top of it).
 */
final class TestDevice implements DeviceObject {

  private final String name;
  private final Object extension;
  private final DeviceObject attachedTo;
  private final DriverObject driver;
  private final DeviceObject nextDevice;
  /** The kit kernel that made the device, whose cancel spin lock a cancel of its requests takes. */
  private final TestKernel kernel;
  private final DeviceObjectExtension deviceObjectExtension = new Extension();

  TestDevice(String name, Object extension, DeviceObject attachedTo, DriverObject driver,
      DeviceObject nextDevice, TestKernel kernel) {
    this.kernel = kernel;
    this.name = name;
    this.extension = extension;
    this.attachedTo = attachedTo;
    this.driver = driver;
    this.nextDevice = nextDevice;
  }

  /** The kit kernel that made the device. */
  TestKernel kernel() {
    return kernel;
  }

  @Override
  public DriverObject driverObject() {
    return driver;
  }

  @Override
  public DeviceObject nextDevice() {
    return nextDevice;
  }

  @Override
  public DeviceObject attachedDevice() {
    return null;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public void setFlags(int flags) {
    throw new UnsupportedOperationException("the kit's devices keep no DO_* flags");
  }

  @Override
  public void clearFlags(int flags) {
    throw new UnsupportedOperationException("the kit's devices keep no DO_* flags");
  }

  @Override
  public int characteristics() {
    return 0;
  }

  @Override
  public int deviceType() {
    return DeviceTypes.FILE_DEVICE_UNKNOWN;
  }

  /** One location for itself and one per device below it. */
  @Override
  public int stackSize() {
    return attachedTo == null ? 1 : attachedTo.stackSize() + 1;
  }

  @Override
  public int referenceCount() {
    return 0;
  }

  @Override
  public int alignmentRequirement() {
    return 0;
  }

  @Override
  public int sectorSize() {
    return 0;
  }

  @Override
  public DeviceObjectExtension deviceObjectExtension() {
    return deviceObjectExtension;
  }

  @Override
  public Object deviceExtension() {
    return extension;
  }

  @Override
  public Optional<String> deviceName() {
    return Optional.ofNullable(name);
  }

  @Override
  public String toString() {
    return name == null ? "TestDevice@" + Integer.toHexString(System.identityHashCode(this)) : name;
  }

  /** {@code DEVOBJ_EXTENSION}: the device it belongs to and the one it is attached to. */
  private final class Extension implements DeviceObjectExtension {
    @Override
    public DeviceObject deviceObject() {
      return TestDevice.this;
    }

    @Override
    public int extensionFlags() {
      return 0;
    }

    @Override
    public DeviceObject attachedTo() {
      return attachedTo;
    }
  }
}
