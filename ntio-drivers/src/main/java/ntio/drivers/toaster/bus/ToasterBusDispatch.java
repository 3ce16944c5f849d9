package ntio.drivers.toaster.bus;

import ntio.ddk.DeviceObject;
import ntio.ddk.DriverObject;
import ntio.ddk.IoControlCodes;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;

/**
 * The bus driver's dispatch routines. One driver serves two kinds of device, told apart by their
 * extension: the bus's FDO ({@link ToasterBus}) and the toasters' PDOs ({@link ToasterChild}), as
 * the WDK sample tells them apart by {@code IsFDO}.
 */
final class ToasterBusDispatch {

  private final KernelServices services;
  private final BusControl control;
  private final BusPnp busPnp;
  private final ChildPnp childPnp;

  ToasterBusDispatch(DriverObject driver) {
    this.services = driver.services();
    this.control = new BusControl(driver);
    this.busPnp = new BusPnp(services);
    this.childPnp = new ChildPnp(services);
  }

  /**
   * IRP_MJ_CREATE, IRP_MJ_CLEANUP, IRP_MJ_CLOSE. The bus's FDO can be opened while it is not
   * leaving ({@code STATUS_NO_SUCH_DEVICE} after a surprise removal or a removal). A toaster's PDO
   * completes them with success: a function driver above that passes them down, or a raw open of a
   * toaster that has none, finds nothing to refuse.
   */
  NtStatus createClose(DeviceObject device, Irp irp) {
    NtStatus status = NtStatus.STATUS_SUCCESS;
    if (device.deviceExtension() instanceof ToasterBus bus) {
      PnpState state = bus.pnp().state();
      if (state == PnpState.SURPRISE_REMOVE_PENDING || state == PnpState.DELETED) {
        status = NtStatus.STATUS_NO_SUCH_DEVICE;
      }
    }
    return complete(irp, status);
  }

  /** IRP_MJ_DEVICE_CONTROL: the bus's control codes on its FDO; nothing on a toaster's PDO. */
  NtStatus deviceControl(DeviceObject device, Irp irp) {
    NtStatus status = NtStatus.STATUS_INVALID_DEVICE_REQUEST;
    if (device.deviceExtension() instanceof ToasterBus bus) {
      IoStackLocation stack = irp.currentStackLocation();
      status = control.control(bus, stack.ioControlCode(), stack.inputBufferLength(), irp.systemBuffer());
    }
    irp.ioStatus().setInformation(0);
    return complete(irp, status);
  }

  /** IRP_MJ_PNP: to the FDO's or the PDO's handler. */
  NtStatus pnp(DeviceObject device, Irp irp) {
    if (device.deviceExtension() instanceof ToasterBus bus) {
      return busPnp.dispatch(device, bus, irp);
    }
    return childPnp.dispatch(device, (ToasterChild) device.deviceExtension(), irp);
  }

  /**
   * IRP_MJ_POWER and IRP_MJ_SYSTEM_CONTROL, which the bus has no part in: the FDO passes them to
   * the device below; a PDO, the bottom of its stack, completes them as they are.
   */
  NtStatus passOrComplete(DeviceObject device, Irp irp) {
    if (device.deviceExtension() instanceof ToasterBus bus) {
      irp.skipCurrentStackLocation();
      return services.callDriver(bus.lowerDevice(), irp);
    }
    return complete(irp, irp.ioStatus().status());
  }

  private NtStatus complete(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return status;
  }
}
