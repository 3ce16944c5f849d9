package ntio.drivers.filter;

import ntio.ddk.IoControlCodes;
import ntio.ddk.DeviceObject;
import ntio.ddk.IoStackLocation;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;

/**
 * The Filter driver's one dispatch routine, set for every major function: count, then pass down —
 * except {@link FilterIoctl#IOCTL_FILTER_QUERY_COUNTS}, which it answers itself.
 */
final class FilterDispatch {

  /*
   * Implementation notes: the device below is read from the filter's own DEVOBJ_EXTENSION
   * (AttachedTo) rather than kept in the device extension. NT's IoAttachDeviceToDeviceStackSafe
   * exists to store the lower device before the filter becomes visible on the stack, so that a
   * request arriving at once already finds it; the DDK returns the lower device only after the
   * attach, when requests may already be flowing, whereas AttachedTo is recorded by the attach
   * itself.
   */

  private final KernelServices services;

  FilterDispatch(KernelServices services) {
    this.services = services;
  }

  /**
   * Counts the request under its major function and passes it to the device below, not asking to
   * see it again; answers {@link FilterIoctl#IOCTL_FILTER_QUERY_COUNTS} itself. A request that
   * reaches the filter after it was detached completes with {@code STATUS_INVALID_DEVICE_STATE}.
   */
  NtStatus passThrough(DeviceObject device, Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    FilterCounters counters = device.deviceExtension(FilterCounters.class);
    counters.count(stack.majorFunction());
    if (stack.majorFunction() == MajorFunctions.IRP_MJ_DEVICE_CONTROL
        && stack.ioControlCode() == FilterIoctl.IOCTL_FILTER_QUERY_COUNTS) {
      return complete(irp, counters.query(stack.outputBufferLength(), irp.systemBuffer()));
    }
    DeviceObject lower = device.deviceObjectExtension().attachedTo();
    if (lower == null) {
      return complete(irp, IoResult.failure(NtStatus.STATUS_INVALID_DEVICE_STATE));
    }
    irp.skipCurrentStackLocation();
    return services.callDriver(lower, irp);
  }

  private NtStatus complete(Irp irp, IoResult result) {
    irp.ioStatus().setStatus(result.status());
    irp.ioStatus().setInformation(result.information());
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return result.status();
  }
}
