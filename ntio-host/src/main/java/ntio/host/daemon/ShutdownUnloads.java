package ntio.host.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import ntio.api.DriverInfo;
import ntio.ddk.NtStatus;
import ntio.host.daemon.HostRuntime.Unload;
import ntio.kernel.Kernel;
import ntio.kernel.SystemDrivers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's shutdown step that unloads its drivers: every PnP device removed first, then
 * NtUnloadDriver of every driver loaded from a service, most recently loaded first, each with its
 * {@link Unload} row. Called by {@link HostRuntime} with its lock held, after the clients were run
 * down.
 */
final class ShutdownUnloads {

  private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);

  private ShutdownUnloads() {}

  /** NtUnloadDriver on every driver loaded from a service, most recently loaded first. */
  static List<Unload> unloadAll(Kernel kernel, SystemDrivers drivers) {
    List<DriverInfo> loaded = drivers.loaded().stream()
        .filter(d -> d.loadOrder() > 0 && !d.imagePath().isEmpty())
        .sorted(Comparator.comparingLong(DriverInfo::loadOrder).reversed())
        .toList();
    // PnP devices first: a PnP driver unloads when its last device goes, and expects no device left
    // when DriverUnload runs (spec §1.B). Those unloads have finished when this returns; listed
    // above, each such driver gets its row below (NtUnloadDriver no longer finds it: unloaded).
    drivers.removePnpDevices();
    List<Unload> unloads = new ArrayList<>();
    for (DriverInfo driver : loaded) {
      if (!kernel.isRunning()) {
        LOG.warn("The kernel halted: {} and the drivers loaded before it stay loaded", driver.service());
        break;
      }
      NtStatus status;
      try {
        status = drivers.unload(driver.service());
      } catch (RuntimeException e) {
        LOG.error("Unloading {} failed: {}", driver.service(), e.toString());
        unloads.add(new Unload(driver.service(), driver.loadOrder(), NtStatus.STATUS_UNSUCCESSFUL, false));
        continue;
      }
      if (!status.isSuccess() && !stillLoaded(drivers, driver)) {
        status = NtStatus.STATUS_SUCCESS; // a PnP driver whose last device went: its unload finished meanwhile
      }
      boolean deferred = status.isSuccess() && stillLoaded(drivers, driver);
      unloads.add(new Unload(driver.service(), driver.loadOrder(), status, deferred));
      if (deferred) {
        LOG.warn("Unload of {} deferred: {} open references on {} devices keep it loaded",
            driver.service(), driver.openReferences(), driver.devices());
      } else if (status.isSuccess()) {
        LOG.info("Unloaded {} (loaded #{})", driver.service(), driver.loadOrder());
      } else {
        LOG.warn("{} was not unloaded: {}", driver.service(), status);
      }
    }
    return unloads;
  }

  /**
   * Whether the driver object is still named after its NtUnloadDriver returned: the unload is
   * deferred. One lookup by name: listing every driver here, once per driver unloaded, made a
   * shutdown quadratic in the drivers loaded (1,000 auto-start drivers: 1.1 s, 8x per driver the
   * cost at 100).
   */
  private static boolean stillLoaded(SystemDrivers drivers, DriverInfo driver) {
    return drivers.driver(driver.name()).isPresent();
  }
}
