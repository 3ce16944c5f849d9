package ntio.kernel.io;

/**
 * The I/O database lock: one lock guarding every driver's device list and flags and every device's
 * stack links, flags and {@code ReferenceCount}. Models {@code IopDatabaseLock} (the queued spin
 * lock NT takes around the same data).
 *
 * <p>Fields it guards are annotated {@code @GuardedBy("database")} on objects that keep a final
 * {@code database} reference to the one instance of their kernel. Driver code is never called while
 * it is held: routines that decide under it return what to do, and do it after releasing it.
 */
final class IoDatabase {
  @Override
  public String toString() {
    return "I/O database lock";
  }
}
