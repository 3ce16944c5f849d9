package ntio.ddk;

/**
 * A driver image's entry point. The JAR's manifest names the class ({@code Ntio-Driver-Entry});
 * the loader instantiates it with its public no-argument constructor and calls it once per load.
 * Models {@code DRIVER_INITIALIZE} / {@code DriverEntry} (full).
 *
 * <p>Returning a status that is not {@link NtStatus#isSuccess() NT_SUCCESS} fails the load: the
 * driver's unload routine is never called, so the entry point must undo what it did before failing.
 * Informational statuses count as success.
 */
@FunctionalInterface
public interface DriverEntry {

  /**
   * Initializes the driver.
   *
   * @param driver the driver object, already named in the namespace ({@code \Driver\<service>})
   * @param registryPath the resolved name of the service key, such as
   *     {@code \REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\Echo}; null for a builtin driver
   */
  NtStatus driverEntry(DriverObject driver, UnicodeString registryPath);
}
