package ntio.kernel.io;

import java.util.List;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.kernel.verifier.VerifiedImage;

/**
 * The verifier's PnP IRP checks: run by {@link PnpPort#send} once a PnP IRP the PnP manager sent
 * has come back, against the drivers of the stack it was sent to, each only when the verifier
 * watches that driver with I/O verification ({@code 0x10}). Every violation is a non-fatal finding
 * (in {@code verifier /query}, {@code NtApi.queryVerifierFindings} and the crash report) naming the
 * image, the driver object, the device and the minor function; the PnP manager carries on as NT
 * does. Models the I/O verifier's PnP IRP tracking and the DDI compliance rules a WDM driver
 * writer meets first (partial):
 *
 * <ul>
 *   <li>{@value #PNP_IRP_COMPLETION}, after the WDM rule {@code PnpIrpCompletion} ("an FDO driver
 *       passes PnP IRPs to the lower driver"; it excludes IRP_MN_QUERY_INTERFACE,
 *       IRP_MN_QUERY_STOP_DEVICE and IRP_MN_QUERY_REMOVE_DEVICE): an FDO or filter completed
 *       IRP_MN_REMOVE_DEVICE without passing it down, so the PDO never saw it; or it completed,
 *       without passing down, a PnP IRP it did not handle with a failure other than the status it
 *       got (a filter overwriting STATUS_NOT_SUPPORTED). IRP_MN_START_DEVICE is left out of the
 *       second case: the PnP manager takes any failed start as the device's failure.
 *   <li>{@value #PNP_REMOVE}, after the WDM rule {@code PnpRemove} (Windows' DDI compliance
 *       checking raises 0xC4 with P1 0x00043006 for it): IRP_MN_REMOVE_DEVICE,
 *       IRP_MN_SURPRISE_REMOVAL or IRP_MN_CANCEL_REMOVE_DEVICE completed with a failure.
 *   <li>{@value #REMOVE_NOT_DETACHED} and {@value #REMOVE_NOT_DELETED}, after the spec's T39 (the
 *       FDO's removal contract; no public verifier code was found for it): once
 *       IRP_MN_REMOVE_DEVICE returned, an FDO or filter of the stack still attached, or not
 *       deleted.
 * </ul>
 *
 * <p>A PnP IRP completed with STATUS_PENDING in {@code IoStatus} needs no check here: under I/O
 * verification {@link Requests#completeRequest} raises 0xC9 with P1 0x06 for it, for PnP IRPs as
 * for any other.
 */
final class PnpIrpChecks {

  /** The finding of a PnP IRP an FDO or filter completed instead of passing it down. */
  static final String PNP_IRP_COMPLETION = "PnpIrpCompletion";

  /** The finding of a removal IRP completed with a failure. */
  static final String PNP_REMOVE = "PnpRemove";

  /** The finding of an FDO or filter still attached after IRP_MN_REMOVE_DEVICE returned. */
  static final String REMOVE_NOT_DETACHED = "T39-REMOVE-NOT-DETACHED";

  /** The finding of an FDO or filter not deleted after IRP_MN_REMOVE_DEVICE returned. */
  static final String REMOVE_NOT_DELETED = "T39-REMOVE-NOT-DELETED";

  private final IoManager io;

  PnpIrpChecks(IoManager io) {
    this.io = io;
  }

  /** Each device's description now, for {@link #check}. */
  static List<String> describe(List<KernelDeviceObject> stack) {
    return stack.stream().map(KernelDeviceObject::describe).toList();
  }

  /** The device's description as it was before the IRP. */
  private static String nameOf(List<KernelDeviceObject> stack, List<String> names,
      KernelDeviceObject device) {
    int index = stack.indexOf(device);
    return index >= 0 && index < names.size() ? names.get(index) : device.describe();
  }

  /** Whether any device of {@code stack} belongs to a driver the checks watch. */
  boolean watches(List<KernelDeviceObject> stack) {
    return stack.stream().anyMatch(d -> verified(d) != null);
  }

  /**
   * The checks for one PnP IRP, after it came back.
   *
   * @param stack the stack it was sent to, top first, the PDO last, as it was before the IRP
   * @param names each device's description, taken before the IRP (a device deleted on the way
   *     loses its name)
   * @param minor its minor function
   */
  void check(List<KernelDeviceObject> stack, List<String> names, int minor, PnpIrpWatch watch) {
    KernelDeviceObject pdo = stack.get(stack.size() - 1);
    PnpIrpWatch.Completion completion = watch.completion();
    KernelDeviceObject completer = completion == null ? null : completion.device();
    String name = PnpMinorFunctions.name(minor);
    if (completer != null && completer != pdo && stack.contains(completer)
        && !watch.reached(pdo)) {
      NtStatus received = watch.receivedBy(completer);
      if (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
        report(completer, PNP_IRP_COMPLETION, name + " was completed by " + nameOf(stack, names, completer)
            + " without being passed down: the PDO " + nameOf(stack, names, pdo) + " never saw it (an FDO or"
            + " filter passes REMOVE_DEVICE down before it detaches and deletes its device)");
      } else if (!completion.status().isSuccess() && !completion.status().equals(received)
          && minor != PnpMinorFunctions.IRP_MN_START_DEVICE && !excluded(minor) && !required(minor)) {
        report(completer, PNP_IRP_COMPLETION, name + " was completed by " + nameOf(stack, names, completer)
            + " with " + completion.status() + " instead of being passed down with the status it"
            + " came with (" + received + "): a driver that does not handle a PnP IRP passes it"
            + " down with IoStatus untouched");
      }
    }
    if (completion != null && !completion.status().isSuccess() && completer != null
        && (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE
            || minor == PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL
            || minor == PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE)) {
      report(completer, PNP_REMOVE, name + " was completed by " + nameOf(stack, names, completer) + " with "
          + completion.status() + ": a driver must not fail it (Windows' DDI compliance checking:"
          + " 0xC4, P1 0x00043006)");
    }
    if (minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
      for (KernelDeviceObject device : stack.subList(0, stack.size() - 1)) {
        boolean attached;
        boolean deleted;
        synchronized (io.database) {
          attached = device.attachedToLocked() != null;
          DeviceState state = device.stateLocked();
          deleted = state.deletePending() || state == DeviceState.DELETED;
        }
        if (attached) {
          report(device, REMOVE_NOT_DETACHED, nameOf(stack, names, device) + " is still attached to its stack"
              + " after " + name + " returned: an FDO or filter calls IoDetachDevice on it");
        }
        if (!deleted) {
          report(device, REMOVE_NOT_DELETED, nameOf(stack, names, device) + " was not deleted after " + name
              + " returned: an FDO or filter calls IoDeleteDevice on it");
        }
      }
    }
  }

  /** The minors the WDM rule PnpIrpCompletion leaves out. */
  private static boolean excluded(int minor) {
    return minor == PnpMinorFunctions.IRP_MN_QUERY_INTERFACE
        || minor == PnpMinorFunctions.IRP_MN_QUERY_STOP_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_QUERY_REMOVE_DEVICE;
  }

  /** The removal minors, whose failures {@value #PNP_REMOVE} reports instead. */
  private static boolean required(int minor) {
    return minor == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE
        || minor == PnpMinorFunctions.IRP_MN_SURPRISE_REMOVAL
        || minor == PnpMinorFunctions.IRP_MN_CANCEL_REMOVE_DEVICE;
  }

  private void report(KernelDeviceObject device, String check, String what) {
    VerifiedImage image = verified(device);
    if (image == null) {
      return;
    }
    io.verifier.recordFinding(image, check, image.imageName() + " (" + device.driver().driverName().text()
        + "): " + what);
  }

  /** The verifier's record of the device's driver when it is verified with I/O verification. */
  private static VerifiedImage verified(KernelDeviceObject device) {
    if (device.driver().services() instanceof ImageServices services) {
      VerifiedImage image = services.verified();
      return image != null && image.verifiesIo() && image.isLoaded() ? image : null;
    }
    return null;
  }
}
