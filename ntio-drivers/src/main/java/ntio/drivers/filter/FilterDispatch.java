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
 * except {@link FilterIoctl#IOCTL_FILTER_QUERY_COUNTS} and {@link
 * FilterIoctl#IOCTL_FILTER_QUERY_BYTES}, which it answers itself — and the completion routine
 * that counts the bytes of reads and writes on their way back up.
 */
final class FilterDispatch {

  /*
   * Implementation notes: the device below is read from the filter's own DEVOBJ_EXTENSION
   * (AttachedTo) rather than kept in the device extension. NT's IoAttachDeviceToDeviceStackSafe
   * exists to store the lower device before the filter becomes visible on the stack, so that a
   * request arriving at once already finds it; the DDK returns the lower device only after the
   * attach, when requests may already be flowing, whereas AttachedTo is recorded by the attach
   * itself.
   *
   * Reads and writes are the only requests the filter wants back, so only they pay for a copied
   * stack location and a completion routine; everything else skips the filter's location. The
   * routine runs on whatever thread completes the request — a writer's, for a read Echo left
   * pending — so the byte counters are atomic, like the request counters.
   */

  private final KernelServices services;

  FilterDispatch(KernelServices services) {
    this.services = services;
  }

  /**
   * Counts the request under its major function and passes it to the device below; answers
   * {@link FilterIoctl#IOCTL_FILTER_QUERY_COUNTS} and {@link FilterIoctl#IOCTL_FILTER_QUERY_BYTES}
   * itself. Reads and writes go down with a copy of the filter's stack location and {@link
   * #countTransferred} as their completion routine; any other request goes down on the filter's
   * own location, the filter not asking to see it again. A request that reaches the filter after
   * it was detached completes with {@code STATUS_INVALID_DEVICE_STATE}.
   *
   * @return what the device below returned ({@code STATUS_PENDING} for a read Echo queues), or
   *     the status of a request the filter completed itself
   */
  NtStatus passThrough(DeviceObject device, Irp irp) {
    IoStackLocation stack = irp.currentStackLocation();
    int majorFunction = stack.majorFunction();
    FilterCounters counters = device.deviceExtension(FilterCounters.class);
    counters.count(majorFunction);
    if (majorFunction == MajorFunctions.IRP_MJ_DEVICE_CONTROL) {
      if (stack.ioControlCode() == FilterIoctl.IOCTL_FILTER_QUERY_COUNTS) {
        return complete(irp, counters.query(stack.outputBufferLength(), irp.systemBuffer()));
      }
      if (stack.ioControlCode() == FilterIoctl.IOCTL_FILTER_QUERY_BYTES) {
        return complete(irp, counters.queryBytes(stack.outputBufferLength(), irp.systemBuffer()));
      }
    }
    DeviceObject lower = device.deviceObjectExtension().attachedTo();
    if (lower == null) {
      return complete(irp, IoResult.failure(NtStatus.STATUS_INVALID_DEVICE_STATE));
    }
    if (majorFunction == MajorFunctions.IRP_MJ_READ
        || majorFunction == MajorFunctions.IRP_MJ_WRITE) {
      irp.copyCurrentStackLocationToNext();
      irp.setCompletionRoutine(FilterDispatch::countTransferred, counters, true, true, true);
    } else {
      irp.skipCurrentStackLocation();
    }
    return services.callDriver(lower, irp);
  }

  /**
   * The completion routine of a read or write the filter passed down: counts its {@code
   * Information} as bytes read or written when it completed with a success status, propagates
   * pending ({@code IoMarkIrpPending} when {@code PendingReturned}, as NT requires of a routine
   * that lets completion go on) and lets completion go on up. Runs on the completing thread, for
   * a success, an error or a cancel alike.
   *
   * @param device the filter's device
   * @param irp the read or write, at the filter's stack location, with Echo's result
   * @param context the filter's {@link FilterCounters}
   * @return {@code STATUS_CONTINUE_COMPLETION}, never {@code STATUS_MORE_PROCESSING_REQUIRED}
   */
  static NtStatus countTransferred(DeviceObject device, Irp irp, Object context) {
    FilterCounters counters = (FilterCounters) context;
    counters.countTransferred(
        irp.currentStackLocation().majorFunction(),
        irp.ioStatus().status(),
        irp.ioStatus().information());
    if (irp.pendingReturned()) {
      irp.markPending();
    }
    // STATUS_CONTINUE_COMPLETION, which NT defines as STATUS_SUCCESS; the DDK has no other name
    // for it. Returning IoStatus.Status instead would stop completion for a request completed
    // with STATUS_MORE_PROCESSING_REQUIRED, an error code like any other to the driver below.
    return NtStatus.STATUS_SUCCESS;
  }

  private NtStatus complete(Irp irp, IoResult result) {
    irp.ioStatus().setStatus(result.status());
    irp.ioStatus().setInformation(result.information());
    services.completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return result.status();
  }
}
