package ntio.framework;

import java.util.Objects;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The base class of a framework driver's entry point: what the WDK's {@code FxDriverEntry} stub
 * is to a C KMDF driver. A driver image names its subclass in {@code Ntio-Driver-Entry}; the
 * kernel calls {@link #driverEntry}, which binds the driver to the framework and calls {@link
 * #entry} (L6):
 *
 * <ul>
 *   <li>when {@code entry} fails, the framework deletes the WDFDRIVER if it was created — the
 *       cleanup and destroy callbacks of the driver and everything parented to it run,
 *       EvtDriverUnload does not — then tears its globals down (waiting for outstanding work,
 *       reporting framework leaks to the verifier), and DriverEntry returns {@code entry}'s
 *       status;
 *   <li>when it succeeds and the framework installed its unload routine (a non-PnP driver with
 *       EvtDriverUnload), unloading runs EvtDriverUnload, deletes the WDFDRIVER's tree, then tears
 *       the globals down (L7).
 * </ul>
 *
 * <p>So a driver's global cleanup belongs in the WDFDRIVER's cleanup callback, which runs on both
 * paths, and {@link Wdf#driverCreate} belongs first (L8). For builtin drivers and tests, {@link
 * #of(WdfEntry)} wraps an entry without a subclass.
 */
public abstract class WdfDriverEntry implements DriverEntry {

  /** For the loader, which instantiates the entry class with its public no-argument constructor. */
  protected WdfDriverEntry() {}

  /** Binds, calls {@link #entry}, and unbinds on failure. Models {@code FxDriverEntry} (full). */
  @Override
  public final NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return FxStub.driverEntry(driver, registryPath, this::entry);
  }

  /**
   * The driver's own DriverEntry.
   *
   * @param wdf the framework, bound to this driver
   * @param registryPath the resolved service key, as the kernel gave it
   */
  protected abstract NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath);

  /**
   * A DriverEntry running {@code entry} behind the framework's stub: for a builtin driver ({@code
   * IoCreateDriver}) or a test. Its RegistryPath is what the kernel passes (null for a builtin).
   */
  public static DriverEntry of(WdfEntry entry) {
    Objects.requireNonNull(entry, "entry");
    return (driver, registryPath) -> FxStub.driverEntry(driver, registryPath, entry);
  }

  /**
   * A DriverEntry that binds as if the kernel had passed {@code registryPath} (when it passes
   * none, as for a builtin driver): the framework reads its verifier settings from {@code
   * registryPath\Parameters\Wdf} and derives the pool tag from its last component, and {@code
   * entry} gets it as RegistryPath.
   */
  public static DriverEntry of(UnicodeString registryPath, WdfEntry entry) {
    Objects.requireNonNull(entry, "entry");
    return (driver, given) -> {
      UnicodeString path = given != null ? given : registryPath;
      return FxStub.driverEntry(driver, path, entry);
    };
  }
}
