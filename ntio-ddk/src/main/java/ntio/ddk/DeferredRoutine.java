package ntio.ddk;

/**
 * What a DPC runs. Models {@code KDEFERRED_ROUTINE} (full): called at DISPATCH_LEVEL on a
 * processor's DPC worker, never while the kernel holds a lock, with the two arguments given to
 * {@link KernelDpc#insertQueue} (null for a timer's DPC). It must not wait, touch paged memory or
 * return at another IRQL than it was called at.
 */
@FunctionalInterface
public interface DeferredRoutine {

  /**
   * Runs the deferred work.
   *
   * @param dpc the DPC that was queued
   * @param argument1 {@code SystemArgument1}
   * @param argument2 {@code SystemArgument2}
   */
  void run(KernelDpc dpc, Object argument1, Object argument2);
}
