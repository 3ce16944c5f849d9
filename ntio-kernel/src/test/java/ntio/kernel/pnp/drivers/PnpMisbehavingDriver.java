package ntio.kernel.pnp.drivers;

import ntio.ddk.AccessMask;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.UnicodeString;

/**
 * A WDM function or filter driver that breaks one PnP rule, chosen by a {@code REG_DWORD} of
 * {@code <RegistryPath>\Parameters} (non-zero: on), for the verifier's PnP IRP checks:
 *
 * <ul>
 *   <li>{@code KeepRemove}: completes IRP_MN_REMOVE_DEVICE itself (detaching and deleting) instead
 *       of passing it down: the PDO never sees it;
 *   <li>{@code NoDetach}: passes REMOVE_DEVICE down and returns without detaching or deleting;
 *   <li>{@code NoDelete}: passes REMOVE_DEVICE down and detaches, but never deletes its device;
 *   <li>{@code FailCancelRemove}: vetoes IRP_MN_QUERY_REMOVE_DEVICE and then fails
 *       IRP_MN_CANCEL_REMOVE_DEVICE;
 *   <li>{@code OverwriteRelations}: completes IRP_MN_QUERY_DEVICE_RELATIONS (BusRelations), which
 *       it does not handle, with STATUS_UNSUCCESSFUL instead of passing it down;
 *   <li>{@code PendingRelations}: completes IRP_MN_QUERY_DEVICE_RELATIONS with STATUS_PENDING in
 *       IoStatus.
 * </ul>
 *
 * Everything else it passes down untouched, as a well-behaved filter does.
 */
public final class PnpMisbehavingDriver implements DriverEntry {

  private KernelServices services;
  private String service;
  private int devices;
  private boolean keepRemove;
  private boolean noDetach;
  private boolean noDelete;
  private boolean failCancelRemove;
  private boolean overwriteRelations;
  private boolean pendingRelations;

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    String key = registryPath.text();
    service = key.substring(key.lastIndexOf('\\') + 1);
    KernelServices.HandleResult parameters = services.openKey(UnicodeString.of(key + "\\Parameters"),
        AccessMask.KEY_READ);
    if (parameters.status().isSuccess()) {
      // One open for every switch: the key is read once, at DriverEntry.
      Handle handle = parameters.handle();
      try {
        keepRemove = on(handle, "KeepRemove");
        noDetach = on(handle, "NoDetach");
        noDelete = on(handle, "NoDelete");
        failCancelRemove = on(handle, "FailCancelRemove");
        overwriteRelations = on(handle, "OverwriteRelations");
        pendingRelations = on(handle, "PendingRelations");
      } finally {
        services.close(handle);
      }
    }
    driver.driverExtension().setAddDevice(this::addDevice);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, this::pnp);
    driver.setDriverUnload(unloading -> { });
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    KernelServices.DeviceResult created = services.createDevice(driver, new DeviceObject[1],
        UnicodeString.of("\\Device\\" + service + (++devices)), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    KernelServices.DeviceResult lower = services.attachDeviceToDeviceStack(created.device(), pdo);
    if (!lower.status().isSuccess()) {
      services.deleteDevice(created.device());
      return lower.status();
    }
    ((DeviceObject[]) created.device().deviceExtension())[0] = lower.device();
    created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus pnp(DeviceObject device, Irp irp) {
    DeviceObject lower = ((DeviceObject[]) device.deviceExtension())[0];
    int minor = irp.currentStackLocation().minorFunction();
    switch (minor) {
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> {
        if (keepRemove) {
          services.detachDevice(lower);
          services.deleteDevice(device);
          return complete(irp, NtStatus.STATUS_SUCCESS);
        }
        irp.skipCurrentStackLocation();
        NtStatus status = services.callDriver(lower, irp);
        if (!noDetach) {
          services.detachDevice(lower);
          if (!noDelete) {
            services.deleteDevice(device);
          }
        }
        return status;
      }
      case PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE -> {
        if (failCancelRemove) {
          return complete(irp, NtStatus.STATUS_DEVICE_BUSY);
        }
      }
      case PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE -> {
        if (failCancelRemove) {
          return complete(irp, NtStatus.STATUS_UNSUCCESSFUL);
        }
      }
      case PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS -> {
        if (irp.currentStackLocation().queryDeviceRelationsType() == DeviceRelationType.BUS_RELATIONS) {
          if (overwriteRelations) {
            return complete(irp, NtStatus.STATUS_UNSUCCESSFUL);
          }
          if (pendingRelations) {
            return complete(irp, NtStatus.STATUS_PENDING);
          }
        }
      }
      default -> {
      }
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(lower, irp);
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, 0);
    return status;
  }

  /** Whether the switch {@code name} is a non-zero REG_DWORD of the open key. */
  private boolean on(Handle key, String name) {
    KernelServices.ValueResult value = services.queryValueKey(key, UnicodeString.of(name));
    return value.status().isSuccess() && value.value().dwordValue().orElse(0) != 0;
  }
}
