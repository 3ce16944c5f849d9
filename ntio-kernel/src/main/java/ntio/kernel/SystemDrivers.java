package ntio.kernel;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ntio.api.DriverInfo;
import ntio.api.RunningDriverCall;
import ntio.api.StartDriverOutcome;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.io.StartDrivers;

/**
 * The drivers' part of a host's start and stop, done as the kernel itself does it: the start
 * drivers' load ({@code IopInitializeBootDrivers}, {@code IopInitializeSystemDrivers}),
 * NtUnloadDriver from a kernel-mode System thread at shutdown, the loaded drivers, and the driver
 * calls in progress when a shutdown hangs.
 *
 * <p>Thread-safe as the I/O manager is; holds no state of its own.
 */
public final class SystemDrivers {

  private final Kernel kernel;

  /** The drivers of {@code kernel}. */
  public SystemDrivers(Kernel kernel) {
    this.kernel = Objects.requireNonNull(kernel, "kernel");
  }

  /**
   * Loads every boot, system and auto start driver of the current control set, in B42's order,
   * and returns one outcome per service, in the order they were loaded. Call it once, after boot,
   * from a thread that is not a System worker.
   */
  public List<StartDriverOutcome> loadStartDrivers() {
    return loadStartDrivers(java.util.Map.of());
  }

  /**
   * As {@link #loadStartDrivers()}, leaving out the services of {@code notStarted} (name, why):
   * each gets {@code STATUS_CANCELLED} with the reason as its detail.
   */
  public List<StartDriverOutcome> loadStartDrivers(java.util.Map<String, String> notStarted) {
    List<StartDriverOutcome> outcomes = StartDrivers.load(kernel.io(), notStarted).stream()
        .map(o -> new StartDriverOutcome(o.service(), o.start(), o.startName(), o.group(), o.status(),
            o.detail(), o.loaded()))
        .toList();
    if (kernel.isRunning()) {
      // B42: the start drivers are in; the PnP manager enumerates the root and brings its devices up.
      kernel.pnp().enumerateRoot();
    }
    return outcomes;
  }

  /**
   * Removes every PnP device, deepest first (spec §1.B): what a host does at shutdown before it
   * unloads any driver, since PnP drivers expect their devices gone before DriverUnload.
   */
  public void removePnpDevices() {
    kernel.pnp().removeAllDevices();
  }

  /**
   * The service whose own load raised the bug check that halted the kernel during {@code
   * outcomes}: the first halted outcome, unless the kernel had halted before it (a bug check on
   * another thread). Empty when no start driver's load raised one.
   */
  public static java.util.Optional<String> bugCheckedAtStart(List<StartDriverOutcome> outcomes) {
    return outcomes.stream()
        .filter(o -> o.status().equals(NtStatus.STATUS_SYSTEM_SHUTDOWN))
        .findFirst()
        .filter(o -> !o.detail().equals(StartDrivers.HALTED_BEFORE))
        .map(StartDriverOutcome::service);
  }

  /** NtUnloadDriver of the service {@code service} from a kernel-mode System thread. */
  public NtStatus unload(String service) {
    return kernel.services().ntUnloadDriver(kernel.systemThread(), UnicodeString.of(StartDrivers.SERVICES + "\\" + service));
  }

  /** The loaded drivers (objects in {@code \Driver} and {@code \FileSystem}). */
  public List<DriverInfo> loaded() {
    return kernel.io().drivers();
  }

  /**
   * One driver found by its object's name ({@code \Driver\Echo}), or empty when no driver object
   * has that name; one lookup, where {@link #loaded()} describes every driver.
   */
  public Optional<DriverInfo> driver(String objectName) {
    return kernel.io().driver(objectName);
  }

  /**
   * Whether the loader still maps an image named {@code imageName} ({@code Echo.jar}, compared
   * without regard to case): a driver's image outlives its name until the driver object's last
   * reference drops.
   */
  public boolean isImageMapped(String imageName) {
    return kernel.io().loader().loadedImages().stream()
        .anyMatch(image -> image.imageName().equalsIgnoreCase(imageName));
  }

  /** The DriverEntry and DriverUnload calls running now, oldest first, each with its stack now. */
  public List<RunningDriverCall> callsInProgress() {
    return kernel.io().driverCalls().inProgress().stream()
        .map(call -> new RunningDriverCall(call.driver(), call.service(), call.routine(),
            call.describeWithStack()))
        .toList();
  }
}
