package ntio.drivers.toaster.bus;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceRelationType;
import ntio.ddk.DeviceRelations;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.UnicodeString;

/**
 * The PnP IRPs of the bus's FDO: a function driver's part of the contract, plus the bus driver's
 * own request, BusRelations. Follows the WDK toaster bus's {@code Bus_FDO_PnP}.
 *
 * <p>Every IRP goes on down to the root device's PDO, with the FDO's status set first when the FDO
 * handled it. IRP_MN_START_DEVICE is the one the FDO wants back: it is started once the PDO below
 * is. IRP_MN_REMOVE_DEVICE passes down, detaches and deletes the FDO, and deletes the toasters'
 * PDOs the PnP manager has finished with (T39).
 */
final class BusPnp {

  private final KernelServices services;

  BusPnp(KernelServices services) {
    this.services = services;
  }

  /** Handles one PnP IRP sent to the bus's FDO; returns what the driver below returned. */
  NtStatus dispatch(DeviceObject fdo, ToasterBus bus, Irp irp) {
    PnpStateTracker pnp = bus.pnp();
    int minor = irp.currentStackLocation().minorFunction();
    return switch (minor) {
      case PnpMinorFunctions.IRP_MN_START_DEVICE -> start(bus, irp);
      case PnpMinorFunctions.IRP_MN_QUERY_STOP_DEVICE -> passDown(bus, irp, pnp.accept(PnpState.STOP_PENDING));
      case PnpMinorFunctions.IRP_MN_CANCEL_STOP_DEVICE -> passDown(bus, irp, pnp.acceptCancel(PnpState.STOP_PENDING));
      case PnpMinorFunctions.IRP_MN_STOP_DEVICE -> passDown(bus, irp, pnp.accept(PnpState.STOPPED));
      case PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE -> passDown(bus, irp, pnp.accept(PnpState.REMOVE_PENDING));
      case PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE ->
          passDown(bus, irp, pnp.acceptCancel(PnpState.REMOVE_PENDING));
      case PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL -> {
        // The bus is gone: no new opens; IRP_MN_REMOVE_DEVICE does the rest.
        unlink(bus);
        yield passDown(bus, irp, pnp.accept(PnpState.SURPRISE_REMOVE_PENDING));
      }
      case PnpMinorFunctions.IRP_MN_REMOVE_DEVICE -> remove(fdo, bus, irp);
      case PnpMinorFunctions.IRP_MN_QUERY_DEVICE_RELATIONS -> {
        if (irp.currentStackLocation().queryDeviceRelationsType() != DeviceRelationType.BUS_RELATIONS) {
          yield passDown(bus, irp, null);
        }
        irp.ioStatus().setInformationPointer(busRelations(bus, irp.ioStatus().informationPointer()));
        yield passDown(bus, irp, NtStatus.STATUS_SUCCESS);
      }
      // Not the FDO's business: the PDO below answers, or leaves the status the PnP manager set.
      default -> passDown(bus, irp, null);
    };
  }

  /**
   * Sends IRP_MN_START_DEVICE down with a completion routine: the bus is started once the device
   * below started, on whichever thread completed it.
   */
  private NtStatus start(ToasterBus bus, Irp irp) {
    irp.copyCurrentStackLocationToNext();
    irp.setCompletionRoutine(BusPnp::startCompleted, bus, true, true, true);
    return services.callDriver(bus.lowerDevice(), irp);
  }

  private static NtStatus startCompleted(DeviceObject fdo, Irp irp, Object context) {
    if (irp.ioStatus().status().isSuccess()) {
      ((ToasterBus) context).pnp().transitionTo(PnpState.STARTED);
    }
    if (irp.pendingReturned()) {
      irp.markPending();
    }
    return NtStatus.STATUS_SUCCESS; // STATUS_CONTINUE_COMPLETION
  }

  /**
   * BusRelations: the relations a driver above may have set, and the PDO of every toaster still
   * plugged in, each referenced for the PnP manager, which dereferences them. A toaster left out
   * is now reported missing, so its PDO deletes itself at its IRP_MN_REMOVE_DEVICE; one that was
   * unplugged before it was ever reported is unknown to the PnP manager, which will send it
   * nothing, so the bus deletes its PDO here.
   */
  private DeviceRelations busRelations(ToasterBus bus, Object prior) {
    List<DeviceObject> listed = new ArrayList<>();
    if (prior instanceof DeviceRelations relations) {
      listed.addAll(relations.objects());
    }
    List<DeviceObject> present = new ArrayList<>();
    List<DeviceObject> neverReported = new ArrayList<>();
    synchronized (bus.lock) {
      for (ToasterChild child : bus.childrenLocked()) {
        if (child.present) {
          child.reported = true;
          present.add(child.pdo());
        } else if (child.reported) {
          child.reportedMissing = true;
        } else {
          bus.removeLocked(child);
          neverReported.add(child.pdo());
        }
      }
    }
    for (DeviceObject pdo : present) {
      services.referenceObject(pdo);
      listed.add(pdo);
    }
    neverReported.forEach(services::deleteDevice);
    return new DeviceRelations(listed);
  }

  /**
   * IRP_MN_REMOVE_DEVICE: the PnP manager removed the toasters' stacks first, so their PDOs are
   * deleted now, except one still waiting for its own IRP_MN_REMOVE_DEVICE after a surprise
   * removal, which is marked missing and deletes itself then. Then, as every FDO does: pass the
   * IRP down, detach, delete.
   */
  private NtStatus remove(DeviceObject fdo, ToasterBus bus, Irp irp) {
    bus.pnp().transitionTo(PnpState.DELETED);
    unlink(bus);
    List<DeviceObject> deleted = new ArrayList<>();
    synchronized (bus.lock) {
      for (ToasterChild child : bus.childrenLocked()) {
        if (child.pnp().state() == PnpState.SURPRISE_REMOVE_PENDING) {
          child.reportedMissing = true;
        } else {
          deleted.add(child.pdo());
        }
      }
      bus.clearLocked();
    }
    deleted.forEach(services::deleteDevice);
    DeviceObject lower = bus.lowerDevice();
    NtStatus status = passDown(bus, irp, NtStatus.STATUS_SUCCESS);
    services.detachDevice(lower);
    services.deleteDevice(fdo);
    return status;
  }

  private void unlink(ToasterBus bus) {
    if (bus.linked()) {
      services.deleteSymbolicLink(UnicodeString.of(ToasterBusIoctl.LINK_NAME));
      bus.setLinked(false);
    }
  }

  /** Sets {@code status} when not null, then sends the IRP on down on the FDO's own stack location. */
  private NtStatus passDown(ToasterBus bus, Irp irp, NtStatus status) {
    if (status != null) {
      irp.ioStatus().setStatus(status);
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(bus.lowerDevice(), irp);
  }
}
