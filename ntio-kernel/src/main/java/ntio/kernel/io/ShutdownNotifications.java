package ntio.kernel.io;

import java.util.List;
import ntio.ddk.DriverFlags;
import ntio.ddk.NtStatus;

/**
 * {@code IoRegisterShutdownNotification}, {@code IoUnregisterShutdownNotification} and the
 * shutdown IRPs the kernel's shutdown sends (L13). Models NT's {@code IopNotifyShutdownQueueHead}
 * and {@code IoShutdownSystem} (partial: one phase).
 */
final class ShutdownNotifications {

  private final IoManager io;

  ShutdownNotifications(IoManager io) {
    this.io = io;
  }


  /**
   * The verifier's warning (L13): a device of a verified driver was deleted while still registered
   * for shutdown notification; IoDeleteDevice unregistered it.
   */
  public static final String SHUTDOWN_REGISTERED_AT_DELETE = "L13-SHUTDOWN-REGISTERED";

  /**
   * The verifier's error (L13): a shutdown IRP went to a device of a verified driver whose
   * DriverUnload had already been invoked.
   */
  public static final String SHUTDOWN_AFTER_UNLOAD = "L13-SHUTDOWN-AFTER-UNLOAD";

  /**
   * The verifier's error (L2, L13): a DriverEntry of a verified driver registered a device for
   * shutdown notification and then failed; the registration was dropped ({@link FailedEntryShutdown}).
   */
  public static final String SHUTDOWN_AT_FAILED_ENTRY = "L2-SHUTDOWN-AT-FAILED-ENTRY";

  /** Devices registered for IRP_MJ_SHUTDOWN, most recent last: NT's IopNotifyShutdownQueueHead. */
  private final java.util.Deque<KernelDeviceObject> shutdownNotifications =
      new java.util.concurrent.ConcurrentLinkedDeque<>();

  /** {@code IoRegisterShutdownNotification}. */
  void register(KernelDeviceObject device) {
    synchronized (io.database) {
      device.setSystemFlagsLocked(ntio.ddk.DeviceFlags.DO_SHUTDOWN_REGISTERED);
    }
    shutdownNotifications.addLast(device);
  }

  /** {@code IoUnregisterShutdownNotification}; nothing if the device is not registered. */
  void unregister(KernelDeviceObject device) {
    if (shutdownNotifications.removeIf(registered -> registered == device)) {
      synchronized (io.database) {
        device.clearSystemFlagsLocked(ntio.ddk.DeviceFlags.DO_SHUTDOWN_REGISTERED);
      }
    }
  }

  /** The devices registered for shutdown notification now, most recently registered first. */
  List<KernelDeviceObject> registrations() {
    List<KernelDeviceObject> registered = new java.util.ArrayList<>(shutdownNotifications);
    java.util.Collections.reverse(registered);
    return registered;
  }

  /**
   * Tells every registered device the system is shutting down: an IRP_MJ_SHUTDOWN to the top of
   * its stack, most recently registered first, each waited for. Models {@code IoShutdownSystem}
   * (partial: one phase). Called by the kernel's shutdown before the workers stop.
   *
   * <p>A registered device whose driver already had DriverUnload invoked still gets its IRP, as
   * on NT, whose shutdown queue does not look at the driver: the device holds the driver object
   * and so the image, so the code is there. When that driver is verified, this is an error
   * finding, {@code L13-SHUTDOWN-AFTER-UNLOAD}: the driver's unload left the registration (and its
   * device) behind, and its shutdown dispatch now runs on state DriverUnload tore down.
   */
  void notifyShutdown() {
    for (java.util.Iterator<KernelDeviceObject> it = shutdownNotifications.descendingIterator();
        it.hasNext(); ) {
      KernelDeviceObject device = it.next();
      KernelDeviceObject top;
      int driverFlags;
      synchronized (io.database) {
        top = Devices.topLocked(device);
        driverFlags = device.driver().flagsLocked();
      }
      if ((driverFlags & DriverFlags.DRVO_UNLOAD_INVOKED) != 0
          && device.driver().services() instanceof ImageServices services && services.verified() != null) {
        io.verifier.recordFinding(services.driverName(), SHUTDOWN_AFTER_UNLOAD,
            "error: IRP_MJ_SHUTDOWN sent to " + device.describe() + " of " + device.driver().describe()
                + ", whose DriverUnload has been invoked: the driver must call"
                + " IoUnregisterShutdownNotification (and delete its devices) in DriverUnload (L13)");
      }
      DriverBuiltRequest shutdown = io.requests.buildTransfer(top,
          ntio.ddk.MajorFunctions.IRP_MJ_SHUTDOWN, null, 0, 0);
      NtStatus returned = io.requests.callDriver(top, shutdown.irp());
      if (returned.equals(NtStatus.STATUS_PENDING)) {
        shutdown.await();
      }
    }
  }
}
