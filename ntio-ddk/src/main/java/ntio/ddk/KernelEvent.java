package ntio.ddk;

/**
 * A kernel event a driver waits on with {@link KernelServices#waitForSingleObject}. Models {@code
 * KEVENT}, initialized by {@code KeInitializeEvent} (full for the routines below).
 *
 * <p>A notification event stays signalled once set and releases every waiter; a synchronization
 * event releases one waiter and resets itself. Setting and reading are allowed up to
 * DISPATCH_LEVEL; waiting, other than a poll with a zero timeout, only below it.
 */
public interface KernelEvent extends DispatcherObject {

  /**
   * Signals the event. Models {@code KeSetEvent} (full; the priority increment and the {@code Wait}
   * argument are not modelled).
   *
   * @return whether it was signalled before
   */
  boolean set();

  /** Resets the event to not signalled. Models {@code KeResetEvent} (full). @return whether it was signalled */
  boolean reset();

  /** Resets the event. Models {@code KeClearEvent} (full). */
  void clear();

  /** Whether the event is signalled. Models {@code KeReadStateEvent} (full). */
  boolean isSignalled();
}
