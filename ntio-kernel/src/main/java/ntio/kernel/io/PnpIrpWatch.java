package ntio.kernel.io;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.List;
import ntio.ddk.NtStatus;

/**
 * What one PnP IRP the PnP manager sent did on its way through a stack, for the verifier's PnP IRP
 * checks ({@link PnpIrpChecks}): each device whose dispatch routine it reached, with {@code
 * IoStatus.Status} as that device got it, and the device that called {@code IoCompleteRequest}
 * with the status it completed with. Models the I/O verifier's per-IRP tracking of {@code
 * IoCallDriver} and {@code IoCompleteRequest} for PnP IRPs (partial: the stack's path and the
 * completion only).
 *
 * <p>Thread-safe: a driver may pass the request down or complete it on another thread.
 */
final class PnpIrpWatch {

  /** A device the request reached, and the status it reached it with. */
  record Visit(KernelDeviceObject device, NtStatus received) {}

  /** Who completed the request, and with what. */
  record Completion(KernelDeviceObject device, NtStatus status) {}

  @GuardedBy("this")
  private final List<Visit> visits = new ArrayList<>();
  @GuardedBy("this")
  private Completion completion;

  /** {@code IoCallDriver} is about to run {@code device}'s dispatch routine. */
  synchronized void entered(KernelDeviceObject device, NtStatus received) {
    visits.add(new Visit(device, received));
  }

  /** {@code IoCompleteRequest} by the driver of {@code device} (null: no location held). */
  synchronized void completed(KernelDeviceObject device, NtStatus status) {
    if (completion == null) {
      completion = new Completion(device, status);
    }
  }

  /** The devices reached, in order, top first. */
  synchronized List<Visit> visits() {
    return List.copyOf(visits);
  }

  /** Whether {@code device}'s dispatch routine saw the request. */
  synchronized boolean reached(KernelDeviceObject device) {
    return visits.stream().anyMatch(v -> v.device() == device);
  }

  /** What the status was when the request reached {@code device}, or null. */
  synchronized NtStatus receivedBy(KernelDeviceObject device) {
    return visits.stream().filter(v -> v.device() == device).map(Visit::received).findFirst()
        .orElse(null);
  }

  /** The completion, or null when none was seen. */
  synchronized Completion completion() {
    return completion;
  }
}
