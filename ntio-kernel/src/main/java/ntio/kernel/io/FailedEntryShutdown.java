package ntio.kernel.io;

import java.util.List;
import ntio.ddk.NtStatus;

/**
 * Withdraws the shutdown notifications of a driver whose DriverEntry failed (L1, L2, L13).
 *
 * <p>A DriverEntry that fails must undo what it set up, including an {@code
 * IoRegisterShutdownNotification} (D22: it should also clear its IRP_MJ_SHUTDOWN entry). One that
 * forgot, and left the registered device behind, would have its shutdown dispatch called at system
 * shutdown although the driver never loaded and its state was never (or only half) built. [MODEL]
 * NT's shutdown queue does not look at the driver; ntio drops such a registration when DriverEntry
 * returns failure, so an IRP_MJ_SHUTDOWN never reaches a driver that is not loaded, and reports
 * it: a warning in the kernel's log always, and a finding, {@link
 * ShutdownNotifications#SHUTDOWN_AT_FAILED_ENTRY}, when the driver is verified. The device itself is left
 * alone: it is the L1 leak, and keeps the driver object and the image as before.
 */
final class FailedEntryShutdown {

  private static final System.Logger LOG = System.getLogger(FailedEntryShutdown.class.getName());

  private FailedEntryShutdown() {}

  /** Drops every shutdown registration of {@code driver}'s devices; called right after DriverEntry failed. */
  static void drop(IoManager io, KernelDriverObject driver, NtStatus entryStatus) {
    List<KernelDeviceObject> registered = io.shutdown.registrations().stream()
        .filter(device -> device.driver() == driver).toList();
    for (KernelDeviceObject device : registered) {
      io.shutdown.unregister(device);
      String message = device.describe() + " of " + driver.describe()
          + " was registered for shutdown notification by a DriverEntry that failed with " + entryStatus
          + ": the registration is dropped and no IRP_MJ_SHUTDOWN will be sent to a driver that is not"
          + " loaded; DriverEntry must call IoUnregisterShutdownNotification (and delete the device)"
          + " before it fails (L2)";
      LOG.log(System.Logger.Level.WARNING, message);
      if (driver.services() instanceof ImageServices services && services.verified() != null) {
        io.verifier.recordFinding(services.driverName(), ShutdownNotifications.SHUTDOWN_AT_FAILED_ENTRY, "error: " + message);
      }
    }
  }
}
