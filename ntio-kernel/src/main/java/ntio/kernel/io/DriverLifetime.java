package ntio.kernel.io;

import java.util.List;
import java.util.function.Supplier;
import ntio.api.DriverEvent;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.kernel.executive.WorkQueueType;

/**
 * A driver object's life outside the decisions: how DriverEntry's return is taken (B10, B11), how
 * a DriverUnload that {@link UnloadPolicy} decided is run — at once for NtUnloadDriver, on a
 * System worker when deferred (B19, B20) — and the Driver type's delete procedure that frees the
 * object and unmaps its image ({@code IopDeleteDriver}). Models the parts of ReactOS's {@code
 * driver.c} around {@code IopUnloadDriver} and {@code IopDeleteDriver}.
 */
final class DriverLifetime {

  private final IoManager io;

  DriverLifetime(IoManager io) {
    this.io = io;
  }

  /**
   * The end of DriverEntry, for NtLoadDriver's and IoCreateDriver's alike. Failure (B10): no
   * DriverUnload; shutdown registrations dropped; the name goes and the load reference is dropped,
   * unless DriverEntry had its own driver unloaded first, which did both. Devices the driver failed
   * to delete keep the object, and the image, alive until they go. Success (B11): NULL dispatch
   * entries become the default, the devices become openable, the driver is started and numbered.
   */
  void entryReturned(KernelDriverObject driver, NtStatus status) {
    if (!status.isSuccess()) {
      FailedEntryShutdown.drop(io, driver, status);
      if (io.unloadPolicy.entryFailed(driver, status)) {
        io.objects.makeTemporary(driver);
        driver.dereference();
      }
      return;
    }
    driver.fixNullDispatchEntries(io.invalidDeviceRequest);
    // A builtin driver (IoCreateDriver: the PnP manager's root bus, say) has no image, so it is no
    // entry of PsLoadedModuleList: it takes no place in the load sequence.
    io.unloadPolicy.entrySucceeded(driver, driver.image() == null ? 0 : io.nextLoadOrder());
  }


  /**
   * {@link UnloadPolicy.Actions#unload}: NtUnloadDriver's own unload runs here and now (its caller
   * is a System worker holding the load lock); every other one is a deferred unload.
   */
  void runUnload(KernelDriverObject driver, boolean inline) {
    if (!inline) {
      runDeferredUnload(driver);
      return;
    }
    try {
      invokeUnloadAndRelease(driver, DriverEvent.Kind.UNLOADED);
    } finally {
      driver.dereference();
    }
  }

  /**
   * Runs a deferred DriverUnload on a System worker, then drops the driver's name and load
   * reference; consumes the reference {@link UnloadPolicy} took when it decided the unload.
   *
   * <p>A caller outside the System process — the client whose NtClose, detach or delete made the
   * driver unloadable — waits for the unload to finish, as NT's {@code IopCompleteUnloadOrDelete}
   * finishes it within the dereference that triggered it. So when that NtClose returns,
   * DriverUnload has run, and the image is unmapped once the caller's own last reference to the
   * device goes on its way out: an NtLoadDriver right after it loads the driver again, never
   * {@code STATUS_IMAGE_ALREADY_LOADED}. A System thread (a driver's own code or a work item
   * dropping the last reference) queues the unload and goes on: it may hold what the unload waits
   * for (the load lock, a worker).
   */
  private void runDeferredUnload(KernelDriverObject driver) {
    DriverEvent.Kind told;
    synchronized (io.database) {
      // UNLOADING now: from UNLOAD_PENDING an asked-for unload waited for a hold to go; from
      // STARTED a PnP driver's last device went, and nobody had asked.
      told = driver.previousStateLocked() == DriverState.UNLOAD_PENDING
          ? DriverEvent.Kind.DEFERRED_UNLOAD_COMPLETED : DriverEvent.Kind.UNLOADED;
    }
    Supplier<Void> unload = () -> {
      // Unloads are serialized with loads, as NtUnloadDriver's are.
      io.loading.loadLock.lock();
      try {
        invokeUnloadAndRelease(driver, told);
      } finally {
        io.loading.loadLock.unlock();
        driver.dereference();
      }
      return null;
    };
    NtStatus queued = io.processes.isSystemThread()
        ? io.workQueues.queue(WorkQueueType.DELAYED, unload::get, driver.serviceName())
        : io.workQueues.runAndWait(WorkQueueType.DELAYED, unload, driver.serviceName()).status();
    if (!queued.isSuccess()) {
      // Shutting down: the workers are gone, so finish here rather than never.
      unload.get();
    }
  }

  /**
   * The end of every unload (B19 step 2–4, B20): DriverUnload, then the name goes (driver objects
   * have no handles, so at once) and the load reference is dropped. The object and the image go
   * when the last device referencing the driver is freed.
   */
  private void invokeUnloadAndRelease(KernelDriverObject driver, DriverEvent.Kind told) {
    runUnloadRoutine(driver);
    io.driverEvents.publish(new DriverEvent(told, driver.serviceName(), driver.driverName().text(),
        NtStatus.STATUS_SUCCESS, ""));
  }

  private void runUnloadRoutine(KernelDriverObject driver) {
    DriverUnload unload = driver.driverUnload();
    if (unload != null) {
      io.callDriverWatched(driver, "DriverUnload", () -> {
        unload.unload(driver);
        return null;
      });
      reportDevicesLeftBehind(driver);
    }
    io.unloadPolicy.unloadReturned(driver);
    io.objects.makeTemporary(driver);
    driver.dereference();
  }

  /**
   * A verified legacy driver whose DriverUnload returned with device objects left: the image stays
   * mapped until they are deleted (L5, B4), which the verifier reports as a finding (DV8).
   */
  private void reportDevicesLeftBehind(KernelDriverObject driver) {
    if (!(driver.services() instanceof ImageServices services) || services.verified() == null
        || driver.image() == null || driver.image().isWdm()) {
      return;
    }
    List<KernelDeviceObject> left;
    synchronized (io.database) {
      left = driver.devicesLocked();
    }
    if (!left.isEmpty()) {
      io.verifier.recordFinding(services.driverName(), "DV8-DEVICES-LEFT", driver.describe()
          + "'s DriverUnload returned leaving " + left.size() + " device object"
          + (left.size() == 1 ? "" : "s") + " (" + left.stream().map(KernelDeviceObject::describe)
              .collect(java.util.stream.Collectors.joining(", "))
          + "): a legacy driver's unload routine must delete its devices; the image stays mapped until they go");
    }
  }

  /** The Driver type's delete procedure ({@code IopDeleteDriver}): frees extensions, unmaps the image. */
  void deleteProcedure(KernelDriverObject driver) {
    boolean unmap = io.unloadPolicy.driverDeleted(driver);
    ImageServices services = driver.services() instanceof ImageServices s ? s : null;
    ntio.kernel.verifier.VerifiedImage verified = services != null ? services.verified() : null;
    try {
      if (unmap && verified != null) {
        // DV4, DV8: the scan runs at every unmap, after DriverUnload or after a failed DriverEntry,
        // and, as in MmUnloadSystemImage, while the image is still mapped: a thread of the image
        // still running is found by the scan (0xC7) rather than by its next call (0xCE).
        io.verifier.unloadScan(verified, driver.image().poolOwner(), services.resources().leftovers());
      }
    } finally {
      if (services != null) {
        services.markUnloaded();
      }
    }
    if (unmap) {
      io.loader.unmap(driver.image());
      io.verifier.probeLoader(verified, driver.image()); // DV8: the loader must become unreachable
    }
  }
}
