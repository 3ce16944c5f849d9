package ntio.kernel.io;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverFlags;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices.DriverResult;
import ntio.ddk.NtStatus;

/** Drivers with no image: {@code IoCreateDriver} and {@code IoDeleteDriver} (B12). */
final class BuiltinDrivers {

  private final IoManager io;

  BuiltinDrivers(IoManager io) {
    this.io = io;
  }


  /**
   * {@code IoCreateDriver} (B12): a driver object with no image and no service, named
   * {@code driverName} or {@code \Driver\%08u} from the tick count (retried up to 100 times on a
   * collision), flagged {@code DRVO_BUILTIN_DRIVER}, initialized with a null RegistryPath. On
   * failure the object is made temporary and dereferenced and the init status returned.
   */
  DriverResult create(String driverName, DriverEntry initialize) {
    KernelDriverObject driver = null;
    NtStatus inserted = NtStatus.STATUS_OBJECT_NAME_COLLISION;
    int tick = (int) (System.nanoTime() / 1_000_000);
    for (int attempt = 0; attempt < 100 && inserted.equals(NtStatus.STATUS_OBJECT_NAME_COLLISION); attempt++) {
      String name = driverName != null ? driverName : String.format("\\Driver\\%08d", Integer.toUnsignedLong(tick + attempt) % 100_000_000L);
      driver = new KernelDriverObject(io.driverType, io.database, name, null, initialize, null,
          DriverFlags.DRVO_BUILTIN_DRIVER, io.invalidDeviceRequest);
      driver.setServices(new ImageImports(io, driver));
      inserted = io.objects.insertObject(driver, IoManager.permanent(name), null, 0, io.objects.kernelCaller(), false, true).status();
      if (driverName != null) {
        break;
      }
    }
    if (!inserted.isSuccess()) {
      return new DriverResult(inserted, null);
    }
    KernelDriverObject created = driver;
    NtStatus returned = io.callDriver(created, () -> initialize.driverEntry(created, null));
    NtStatus status = returned == null ? NtStatus.STATUS_UNSUCCESSFUL : returned;
    io.lifetime.entryReturned(created, status);
    return new DriverResult(status, status.isSuccess() ? created : null);
  }

  /** {@code IoDeleteDriver} (B12): the name goes and the creation reference is dropped. */
  void delete(DriverObject driver) {
    if (driver instanceof KernelDriverObject d && d.image() == null) {
      io.objects.makeTemporary(d);
      d.dereference();
    } else {
      throw new IllegalArgumentException(driver + " is not a builtin driver");
    }
  }
}
