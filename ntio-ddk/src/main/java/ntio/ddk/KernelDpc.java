package ntio.ddk;

/**
 * A deferred procedure call: work queued from any IRQL up to the device level, run soon after at
 * DISPATCH_LEVEL on a processor's DPC worker. Models {@code KDPC}, initialized by {@code
 * KeInitializeDpc} (partial: no importance; the target processor is set by {@link
 * #setTargetProcessor}).
 *
 * <p>A DPC object is queued at most once at a time: inserting one already queued does nothing
 * and answers false, as NT's does, which is how a driver coalesces work. A DPC still queued when
 * its driver's image is unloaded is what Driver Verifier's unload scan reports (0xC7, {@code
 * TIMER_OR_DPC_INVALID}, P1 = 1).
 */
public interface KernelDpc {

  /**
   * Queues the DPC on the current processor's DPC queue (or its target processor's). Models {@code
   * KeInsertQueueDpc} (full).
   *
   * @return false when it was already queued (nothing changes), true when it is now queued
   */
  boolean insertQueue(Object argument1, Object argument2);

  /**
   * Takes the DPC off its queue if it has not started running. Models {@code KeRemoveQueueDpc}
   * (full).
   *
   * @return whether it was queued
   */
  boolean removeQueue();

  /** Runs the DPC on processor {@code number} from now on. Models {@code KeSetTargetProcessorDpc} (full). */
  void setTargetProcessor(int number);

  /** Whether the DPC is queued and not yet running. */
  boolean isQueued();
}
