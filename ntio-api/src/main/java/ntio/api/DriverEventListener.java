package ntio.api;

/**
 * Told of every {@link DriverEvent} of one kernel: how a host logs its drivers' story without
 * reaching into the kernel. Registered on the kernel's boot class ({@code Kernel.addDriverEventListener}).
 *
 * <p>Called on the kernel thread where the event happened (a System worker for a load or an
 * unload, the thread of a last close for a deferred unload's completion), after the kernel's locks
 * are released but possibly while the driver load lock is held: a listener must return quickly,
 * must not block and must not call back into the kernel. What it throws is logged and ignored.
 */
@FunctionalInterface
public interface DriverEventListener {

  /** One event, in the order the kernel saw them for one driver. */
  void onDriverEvent(DriverEvent event);
}
