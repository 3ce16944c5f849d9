package ntio.drivers.toaster.bus;

import java.util.List;
import ntio.ddk.BusQueryIdType;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.DeviceRelations;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;

/**
 * The PnP IRPs of a toaster's PDO: the bus driver's part of the contract. A PDO is the bottom of
 * its stack, so it completes every PnP IRP and passes none on; one it does not handle completes
 * with the status already in it (set by the PnP manager, or by a driver above). Follows the WDK
 * toaster bus's {@code Bus_PDO_PnP}.
 *
 * <p>IRP_MN_REMOVE_DEVICE completes with success either way (T39): the PDO deletes itself only
 * when the bus has reported it missing (unplugged or ejected); a toaster still present, whose
 * stack was removed by a disable or a device removal, keeps its PDO, which can be started again.
 *
 * @param services the bus driver's kernel services
 */
record ChildPnp(KernelServices services) {

  /** Handles and completes one PnP IRP sent to a toaster's PDO; returns its final status. */
  NtStatus dispatch(DeviceObject pdo, ToasterChild child, Irp irp) {
    PnpStateTracker pnp = child.pnp();
    NtStatus status = switch (irp.currentStackLocation().minorFunction()) {
      case PnpMinorFunctions.IRP_MN_START_DEVICE -> pnp.accept(PnpState.STARTED);
      case PnpMinorFunctions.IRP_MN_QUERY_STOP_DEVICE -> pnp.accept(PnpState.STOP_PENDING);
      case PnpMinorFunctions.IRP_MN_STOP_DEVICE -> pnp.accept(PnpState.STOPPED);
      case PnpMinorFunctions.IRP_MN_CANCEL_STOP_DEVICE -> pnp.acceptCancel(PnpState.STOP_PENDING);
      case PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE -> pnp.accept(PnpState.REMOVE_PENDING);
      case PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE -> pnp.acceptCancel(PnpState.REMOVE_PENDING);
      case PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL -> pnp.accept(PnpState.SURPRISE_REMOVE_PENDING);
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> remove(pdo, child);
      case PnpMinorFunctions.IRP_MN_EJECT -> {
        // The PnP manager ejects a device it has removed: from now on the toaster is not on the bus.
        synchronized (child.bus().lock) {
          child.present = false;
        }
        yield NtStatus.STATUS_SUCCESS;
      }
      // No DEVICE_CAPABILITIES structure in ntio yet: the PnP manager's defaults stand.
      case PnpMinorFunctions.IRP_MN_QUERY_CAPABILITIES -> NtStatus.STATUS_SUCCESS;
      case PnpMinorFunctions.IRP_MN_QUERY_ID -> queryId(child, irp);
      case PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS -> targetRelation(pdo, irp);
      // No paging, dump or hibernation file lives on a toaster.
      case PnpMinorFunctions.IRP_MN_DEVICE_USAGE_NOTIFICATION -> NtStatus.STATUS_UNSUCCESSFUL;
      default -> irp.ioStatus().status();
    };
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }



  private NtStatus remove(DeviceObject pdo, ToasterChild child) {
    boolean missing;
    synchronized (child.bus().lock) {
      missing = child.reportedMissing;
      if (missing) {
        child.bus().removeLocked(child);
      }
    }
    if (missing) {
      child.pnp().transitionTo(PnpState.DELETED);
      services.deleteDevice(pdo);
    } else {
      child.pnp().transitionTo(PnpState.NOT_STARTED);
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * IRP_MN_QUERY_ID: the device ID and hardware ID {@link ToasterBusIoctl#TOASTER_HARDWARE_ID},
   * the compatible ID {@link ToasterBusIoctl#TOASTER_COMPATIBLE_ID}, the instance ID the serial
   * number in decimal. Any other kind of ID is not the bus's to give.
   */
  private static NtStatus queryId(ToasterChild child, Irp irp) {
    String id = switch (irp.currentStackLocation().queryIdType()) {
      case BusQueryIdType.BUS_QUERY_DEVICE_ID, BusQueryIdType.BUS_QUERY_HARDWARE_IDS ->
          ToasterBusIoctl.TOASTER_HARDWARE_ID;
      case BusQueryIdType.BUS_QUERY_COMPATIBLE_IDS -> ToasterBusIoctl.TOASTER_COMPATIBLE_ID;
      case BusQueryIdType.BUS_QUERY_INSTANCE_ID -> Long.toString(child.serialNumber());
      default -> null;
    };
    if (id == null) {
      return irp.ioStatus().status();
    }
    irp.ioStatus().setInformationPointer(id);
    return NtStatus.STATUS_SUCCESS;
  }

  /** TargetDeviceRelation: the PDO itself, referenced for the caller. Other relations: none here. */
  private NtStatus targetRelation(DeviceObject pdo, Irp irp) {
    if (irp.currentStackLocation().queryDeviceRelationsType() != DeviceRelationType.TARGET_DEVICE_RELATION) {
      return irp.ioStatus().status();
    }
    services.referenceObject(pdo);
    irp.ioStatus().setInformationPointer(new DeviceRelations(List.of(pdo)));
    return NtStatus.STATUS_SUCCESS;
  }
}
