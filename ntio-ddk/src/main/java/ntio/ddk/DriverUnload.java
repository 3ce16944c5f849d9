package ntio.ddk;

/**
 * A driver's unload routine. Models {@code DRIVER_UNLOAD} (full): called once, on a System worker
 * thread, when nothing references the driver's devices any more; it must delete the devices and
 * symbolic links the driver created and free what it allocated.
 */
@FunctionalInterface
public interface DriverUnload {

  /** Releases everything the driver holds. */
  void unload(DriverObject driver);
}
