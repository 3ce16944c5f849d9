package ntio.ddk;

/**
 * A kernel timer with the deferred procedure call it queues when it expires. Models a {@code
 * KTIMER} initialized by {@code KeInitializeTimerEx} together with the {@code KDPC} that {@code
 * KeInitializeDpc} binds to it (partial: one DPC per timer, no target processor or importance).
 *
 * <p>At expiry the timer is signalled and its DPC is queued to a processor's DPC queue, where it
 * runs at DISPATCH_LEVEL, never while the kernel holds a lock. A timer that
 * is still set when its driver's image is unmapped is what Driver Verifier's unload scan reports
 * (0xC7, {@code TIMER_OR_DPC_INVALID}); without the verifier, its DPC running after the unmap is
 * 0xCE, {@code DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS}.
 */
public interface KernelTimer extends DispatcherObject {

  /**
   * Sets the timer to expire {@code dueTimeNanos} from now, then every {@code periodNanos} if that
   * is positive. Setting a timer that is already set cancels the earlier setting first. Models
   * {@code KeSetTimerEx} with a relative due time (full).
   *
   * @return whether the timer was already set
   */
  boolean set(long dueTimeNanos, long periodNanos);

  /**
   * Sets the timer as {@link #set(long, long)} does, with {@code dpc} (or none, when null) queued at
   * each expiry instead of the DPC the timer was initialized with. The timer is signalled at
   * expiry either way, for a thread waiting on it. Models {@code KeSetTimerEx} (full).
   *
   * @return whether the timer was already set
   */
  boolean set(long dueTimeNanos, long periodNanos, KernelDpc dpc);

  /**
   * Takes the timer out of the timer queue; a DPC already running is not waited for. Models
   * {@code KeCancelTimer} (full).
   *
   * @return whether the timer was set
   */
  boolean cancel();

  /** Whether the timer is in the timer queue: set and not yet expired, or periodic. */
  boolean isSet();

  /** Whether the timer has expired since it was last set. Models {@code KeReadStateTimer} (full). */
  boolean isSignalled();
}
