package ntio.stress;

import static ntio.stress.KernelSetup.check;

import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;

/**
 * A reload right after the last close (issue 15, {@link ReloadAfterLastClose}): a service of
 * {@link RaceKernel}'s pool with its driver loaded, its device open through the races' own client,
 * and an NtUnloadDriver already asked for and deferred by that open (B20). The own client then
 * closes the handle — the last close, which finishes the deferred unload — and loads the same
 * service again ({@link #closeThenReload}); another client process opens the device, loads the
 * service or unloads it meanwhile.
 *
 * <p>Every method can be called from any thread; {@link #judge} once, after the actors.
 */
final class ReloadRace {

  /** How {@link #judge} reports the end: the driver is loaded (its object named, its image mapped). */
  static final int LOADED = 1;

  /** How {@link #judge} reports the end: the driver object and its image are both gone. */
  static final int GONE = 0;

  /** How {@link #judge} reports the end: one of the driver object and its image is left, not both. */
  static final int HALF = -1;

  private final RaceKernel kernel;
  private final RaceKernel.Race race;
  private volatile Handle othersHandle;

  /**
   * Arms a race: takes a service from the pool, loads its driver, opens its device, and asks for
   * the unload, which the open defers.
   *
   * @throws IllegalStateException naming the step if any of that fails or the unload did not defer
   */
  ReloadRace(RaceKernel kernel) {
    this.kernel = kernel;
    this.race = kernel.arm();
    check("NtUnloadDriver(" + race.service().name() + ") with its device open",
        kernel.nt().ntUnloadDriver(kernel.client(), race.service().key()));
    if (!kernel.isLoaded(race.service())) {
      throw new IllegalStateException(race.service().name() + " unloaded at once though its device was open");
    }
  }

  /** The service this race reloads. */
  RaceKernel.Service service() {
    return race.service();
  }

  /**
   * The races' own client: {@code NtClose} of the only handle to the device, then at once
   * {@code NtLoadDriver} of the same service.
   *
   * @return the load's status name; {@code NtClose: <status name>} if the close failed
   */
  String closeThenReload() {
    NtStatus closed = kernel.nt().ntClose(kernel.client(), race.handle());
    if (!closed.equals(NtStatus.STATUS_SUCCESS)) {
      return "NtClose: " + closed.name();
    }
    return kernel.nt().ntLoadDriver(kernel.client(), race.service().key()).name();
  }

  /**
   * The other client: {@code NtCreateFile} of the device (read access, sharing read and write);
   * a handle it gets is closed by {@link #judge}.
   *
   * @return the open's status name
   */
  String otherOpens() {
    OpenResult opened = kernel.nt().ntCreateFile(kernel.otherClient(), AccessMask.GENERIC_READ,
        race.service().device(), KernelSetup.SHARE_READ_WRITE, 0);
    if (opened.status().isSuccess()) {
      othersHandle = opened.handle();
    }
    return opened.status().name();
  }

  /** The other client: {@code NtLoadDriver} of the service; its status name. */
  String otherLoads() {
    return kernel.nt().ntLoadDriver(kernel.otherClient(), race.service().key()).name();
  }

  /** The other client: {@code NtUnloadDriver} of the service; its status name. */
  String otherUnloads() {
    return kernel.nt().ntUnloadDriver(kernel.otherClient(), race.service().key()).name();
  }

  /**
   * Waits, at most {@link RaceKernel#SETTLE_TIMEOUT}, for the delayed work queue to finish what
   * the actors queued (a DriverUnload still in flight, if the last close did not wait for it), then
   * says how the driver ended: {@link #LOADED}, {@link #GONE} or {@link #HALF}. Then cleans up: the
   * other client's handle is closed, a loaded driver is unloaded, and the service goes back to the
   * pool if its driver is gone; a service left any other way stays out of it.
   */
  int judge() {
    RaceKernel.Service service = race.service();
    long deadline = System.nanoTime() + RaceKernel.SETTLE_TIMEOUT.toNanos();
    kernel.awaitDelayedWork(deadline);
    int end = kernel.isLoaded(service) ? LOADED : kernel.isPresent(service) ? HALF : GONE;
    Handle handle = othersHandle;
    if (handle != null) {
      kernel.nt().ntClose(kernel.otherClient(), handle);
    }
    if (end == LOADED && kernel.nt().ntUnloadDriver(kernel.client(), service.key()).equals(NtStatus.STATUS_SUCCESS)) {
      kernel.awaitDelayedWork(System.nanoTime() + RaceKernel.SETTLE_TIMEOUT.toNanos());
    }
    if (!kernel.isPresent(service)) {
      kernel.recycle(service);
    }
    return end;
  }
}
