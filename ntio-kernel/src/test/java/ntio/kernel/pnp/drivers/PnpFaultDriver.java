package ntio.kernel.pnp.drivers;

import ntio.ddk.AccessMask;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * A careful WDM function driver for the fault-injection sweep over bring-up: every fallible call
 * on its path is checked and every failure undoes what came before it. In order, the calls a
 * bring-up makes are: DriverEntry's pool block ({@link #ENTRY_TAG}, freed in DriverUnload);
 * AddDevice's context block ({@link #CONTEXT_TAG}), IoCreateDevice and
 * IoAttachDeviceToDeviceStack (AddDevice also opens its Parameters key and keeps the handle for
 * the device's life); IRP_MN_START_DEVICE's resources block ({@link #START_TAG}). REMOVE_DEVICE
 * frees the blocks, closes the handle, passes the IRP down, detaches and deletes (T39).
 */
public final class PnpFaultDriver implements DriverEntry {

  /** DriverEntry's block. */
  public static final int ENTRY_TAG = PoolTag.of("PfDe");
  /** AddDevice's context block. */
  public static final int CONTEXT_TAG = PoolTag.of("PfAd");
  /** START's resources block. */
  public static final int START_TAG = PoolTag.of("PfSt");

  /** The FDO's extension. */
  static final class Fdo {
    final PoolBlock context;
    final Handle parameters;
    DeviceObject lower;
    volatile PoolBlock resources;

    Fdo(PoolBlock context, Handle parameters) {
      this.context = context;
      this.parameters = parameters;
    }
  }

  private KernelServices services;
  private String parametersKey;
  private PoolBlock entryBlock;
  private int devices;

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    parametersKey = registryPath.text() + "\\Parameters";
    KernelServices.PoolResult block = services.allocatePoolWithTag(PoolType.NON_PAGED, 64, ENTRY_TAG);
    if (!block.status().isSuccess()) {
      return block.status();
    }
    entryBlock = block.block();
    driver.driverExtension().setAddDevice(this::addDevice);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, this::pnp);
    driver.setDriverUnload(unloading -> services.freePoolWithTag(entryBlock, ENTRY_TAG));
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    KernelServices.PoolResult context = services.allocatePoolWithTag(PoolType.NON_PAGED, 128, CONTEXT_TAG);
    if (!context.status().isSuccess()) {
      return context.status();
    }
    KernelServices.HandleResult key = services.openKey(UnicodeString.of(parametersKey), AccessMask.KEY_READ);
    if (!key.status().isSuccess()) {
      services.freePoolWithTag(context.block(), CONTEXT_TAG);
      return key.status();
    }
    Fdo extension = new Fdo(context.block(), key.handle());
    KernelServices.DeviceResult created = services.createDevice(driver, extension,
        UnicodeString.of("\\Device\\PnpFault" + (++devices)), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      release(extension);
      return created.status();
    }
    KernelServices.DeviceResult lower = services.attachDeviceToDeviceStack(created.device(), pdo);
    if (!lower.status().isSuccess()) {
      services.deleteDevice(created.device());
      release(extension);
      return lower.status();
    }
    extension.lower = lower.device();
    created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }

  private void release(Fdo extension) {
    PoolBlock resources = extension.resources;
    if (resources != null) {
      extension.resources = null;
      services.freePoolWithTag(resources, START_TAG);
    }
    services.close(extension.parameters);
    services.freePoolWithTag(extension.context, CONTEXT_TAG);
  }

  private NtStatus pnp(DeviceObject device, Irp irp) {
    Fdo fdo = (Fdo) device.deviceExtension();
    int minor = irp.currentStackLocation().minorFunction();
    if (minor == PnpMinorFunctions.IRP_MN_START_DEVICE) {
      KernelServices.PoolResult resources = services.allocatePoolWithTag(PoolType.NON_PAGED, 256, START_TAG);
      if (!resources.status().isSuccess()) {
        irp.ioStatus().setStatus(resources.status());
        services.completeRequest(irp, 0);
        return resources.status();
      }
      fdo.resources = resources.block();
    } else if (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
      release(fdo);
      irp.skipCurrentStackLocation();
      NtStatus status = services.callDriver(fdo.lower, irp);
      services.detachDevice(fdo.lower);
      services.deleteDevice(device);
      return status;
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(fdo.lower, irp);
  }
}
