package ntio.framework;

import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A framework driver's own DriverEntry, which the framework's entry stub calls once the driver is
 * bound. What a C KMDF driver writes as {@code DriverEntry} and the WDK links behind {@code
 * FxDriverEntry}.
 */
@FunctionalInterface
public interface WdfEntry {

  /**
   * Initializes the driver: typically {@link Wdf#driverCreate} first, then everything else.
   *
   * @param wdf the framework, bound to this driver
   * @param driver the driver object
   * @param registryPath the service key; null for a builtin driver bound without one
   * @return the status DriverEntry returns; on failure the framework deletes the WDFDRIVER (if it
   *     was created, running its tree's cleanup and destroy callbacks, but not EvtDriverUnload) and
   *     unbinds (L6)
   */
  NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath);
}
