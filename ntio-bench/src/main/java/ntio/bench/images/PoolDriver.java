package ntio.bench.images;

import java.util.function.IntSupplier;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * A benchmark driver image (PoolBench.jar): its device {@value #DEVICE_NAME} has the driver itself
 * as its extension, an {@link IntSupplier} whose every call allocates {@value #SIZE} bytes of
 * nonpaged pool tagged {@code Bnch} and frees them, from the image's own code, as a driver's
 * request path does. The benchmark calls it through the extension, so the allocation is the
 * image's, thunked and tracked exactly as a verified driver's would be.
 */
public final class PoolDriver implements DriverEntry, DriverUnload, IntSupplier {

  /** The device whose extension is the allocating routine. */
  public static final String DEVICE_NAME = "\\Device\\PoolBench";

  /** Bytes per allocation. */
  public static final int SIZE = 64;

  private static final int TAG = PoolTag.of("Bnch");

  private KernelServices services;

  public PoolDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    DeviceResult created = services.createDevice(driver, this, UnicodeString.of(DEVICE_NAME),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    DeviceObject device = driver.deviceObject();
    driver.services().deleteDevice(device);
  }

  /** One allocation and its free; returns the allocation's NTSTATUS code. */
  @Override
  public int getAsInt() {
    PoolResult allocated = services.allocatePoolWithTag(PoolType.NON_PAGED, SIZE, TAG);
    if (allocated.status().isSuccess()) {
      services.freePoolWithTag(allocated.block(), TAG);
    }
    return allocated.status().code();
  }
}
