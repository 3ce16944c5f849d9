package ntio.kernel.io.leaktests;

import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * A test driver that holds one block of pool while loaded: DriverEntry allocates {@value #SIZE}
 * bytes tagged {@code Hold} and keeps them as the extension of {@code \Device\Holder}; DriverUnload
 * frees them and deletes the device.
 */
public final class PoolHolder implements DriverEntry {

  /** The held block's size. */
  public static final int SIZE = 32;

  /** The held block's tag. */
  public static final int TAG = PoolTag.of("Hold");

  public PoolHolder() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    PoolResult held = services.allocatePoolWithTag(PoolType.PAGED, SIZE, TAG);
    if (!held.status().isSuccess()) {
      return held.status();
    }
    DeviceResult device = services.createDevice(driver, held.block(),
        UnicodeString.of("\\Device\\Holder"), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!device.status().isSuccess()) {
      services.freePoolWithTag(held.block(), TAG);
      return device.status();
    }
    driver.setDriverUnload(unloading -> {
      services.freePoolWithTag(unloading.deviceObject().deviceExtension(PoolBlock.class), TAG);
      services.deleteDevice(unloading.deviceObject());
    });
    return NtStatus.STATUS_SUCCESS;
  }
}
