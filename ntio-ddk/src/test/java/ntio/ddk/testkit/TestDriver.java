package ntio.ddk.testkit;

import java.util.Optional;
import ntio.ddk.DeviceObject;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverDispatchTable;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverExtension;
import ntio.ddk.DriverFlags;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A builtin driver of a {@link TestKernel}, as {@code IoCreateDriver} makes one: named, flagged
 * {@code DRVO_BUILTIN_DRIVER | DRVO_LEGACY_DRIVER}, every major function the default handler until
 * the driver sets its own. Models {@code DRIVER_OBJECT} (partial: no device list).
 */
final class TestDriver implements DriverObject, DriverExtension {

  /** The default handler: fails the request as NT's IopInvalidDeviceRequest does. */
  private static final DispatchRoutine INVALID_DEVICE_REQUEST = (device, irp) -> NtStatus.STATUS_INVALID_DEVICE_REQUEST;

  private final UnicodeString name;
  private final KernelServices services;
  private final DriverDispatchTable dispatchTable = new DriverDispatchTable(INVALID_DEVICE_REQUEST);

  TestDriver(UnicodeString name, KernelServices services) {
    this.name = name;
    this.services = services;
  }

  @Override
  public int flags() {
    return DriverFlags.DRVO_BUILTIN_DRIVER | DriverFlags.DRVO_LEGACY_DRIVER;
  }

  @Override
  public DeviceObject deviceObject() {
    return null;
  }

  @Override
  public DriverExtension driverExtension() {
    return this;
  }

  @Override
  public UnicodeString driverName() {
    return name;
  }

  @Override
  public UnicodeString hardwareDatabase() {
    return UnicodeString.of("\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM");
  }

  /** A builtin driver has no image entry point. */
  @Override
  public DriverEntry driverInit() {
    return null;
  }

  @Override
  public Optional<String> imagePath() {
    return Optional.empty();
  }

  @Override
  public DriverDispatchTable dispatchTable() {
    return dispatchTable;
  }

  /** An entry set to null is the default handler again at once (the kernel does it after DriverEntry). */
  @Override
  public void setMajorFunction(int function, DispatchRoutine routine) {
    dispatchTable.setMajorFunction(function, routine == null ? INVALID_DEVICE_REQUEST : routine);
  }

  @Override
  public KernelServices services() {
    return services;
  }

  // DriverExtension -------------------------------------------------------------------------------

  @Override
  public DriverObject driverObject() {
    return this;
  }

  @Override
  public int count() {
    return 0;
  }

  @Override
  public UnicodeString serviceKeyName() {
    String text = name.text();
    return UnicodeString.of(text.substring(text.lastIndexOf('\\') + 1));
  }

  @Override
  public String toString() {
    return name.text();
  }
}
