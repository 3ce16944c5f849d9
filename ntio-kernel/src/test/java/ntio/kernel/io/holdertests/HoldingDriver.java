package ntio.kernel.io.holdertests;

import java.util.concurrent.CountDownLatch;
import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A test driver that holds things the way a real one does, for "what still holds my driver?":
 * its device {@code \Device\Holding} is registered as a file system, it keeps Echo open through
 * {@code IoGetDeviceObjectPointer} (an open with no handle), and an {@code IoQueueWorkItem} routine
 * waits on the device's latch (its extension). When the latch is counted down, the work item
 * unregisters the file system and releases Echo: both drivers may then unload.
 */
public final class HoldingDriver implements DriverEntry {

  public HoldingDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices kernel = driver.services();
    CountDownLatch release = new CountDownLatch(1);
    KernelServices.DeviceResult created = kernel.createDevice(driver, release, UnicodeString.of("\\Device\\Holding"),
        DeviceTypes.FILE_DEVICE_DISK_FILE_SYSTEM, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    KernelServices.DeviceObjectPointer echo =
        kernel.getDeviceObjectPointer(UnicodeString.of("\\Device\\Echo"), AccessMask.GENERIC_READ);
    if (!echo.status().isSuccess()) {
      kernel.deleteDevice(created.device());
      return echo.status();
    }
    kernel.registerFileSystem(created.device());
    driver.setDriverUnload(unloading -> unloading.services().deleteDevice(created.device()));
    kernel.queueWorkItem(created.device(), () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      kernel.unregisterFileSystem(created.device());
      kernel.dereferenceObject(echo.file());
    });
    return NtStatus.STATUS_SUCCESS;
  }
}
