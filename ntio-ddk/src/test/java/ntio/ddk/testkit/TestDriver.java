package ntio.ddk.testkit;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import ntio.ddk.AddDevice;
import ntio.ddk.DeviceObject;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverExtension;
import ntio.ddk.DriverFlags;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
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
  private final AtomicReferenceArray<DispatchRoutine> majorFunctions =
      new AtomicReferenceArray<>(MajorFunctions.IRP_MJ_MAXIMUM_FUNCTION + 1);
  private volatile DriverUnload driverUnload;
  private volatile AddDevice addDevice;

  TestDriver(UnicodeString name, KernelServices services) {
    this.name = name;
    this.services = services;
    for (int i = 0; i < majorFunctions.length(); i++) {
      majorFunctions.set(i, INVALID_DEVICE_REQUEST);
    }
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
  public DriverUnload driverUnload() {
    return driverUnload;
  }

  @Override
  public void setDriverUnload(DriverUnload unload) {
    this.driverUnload = unload;
  }

  @Override
  public DispatchRoutine majorFunction(int function) {
    return majorFunctions.get(function);
  }

  @Override
  public void setMajorFunction(int function, DispatchRoutine routine) {
    majorFunctions.set(function, routine == null ? INVALID_DEVICE_REQUEST : routine);
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
  public AddDevice addDevice() {
    return addDevice;
  }

  @Override
  public void setAddDevice(AddDevice addDevice) {
    this.addDevice = addDevice;
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
