package ntio.kernel.ke;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A deferred procedure call as the dispatcher keeps it: what to run, the processor it targets and
 * the queue it is on. Models {@code KDPC} (partial: no importance, no threaded DPCs); the I/O
 * manager wraps one per driver DPC ({@code ntio.kernel.io.ImageDpc}) and per timer.
 *
 * <p>Queue state, as {@code KDPC.DpcData} keeps it in NT (ReactOS {@code ntoskrnl/ke/dpc.c}:
 * {@code KeInsertQueueDpc} sets it with a compare-exchange from NULL, {@code KeRemoveQueueDpc} and
 * {@code KiRetireDpcList} clear it under the queue's lock):
 *
 * <pre>
 *   not queued --insert (on processor p)--> queued on p
 *   queued on p --removeQueue, or p's worker takes it to run--> not queued
 *   queued on p --insert again--> queued on p (no change; insert answers false)
 * </pre>
 *
 * A DPC being run is already not queued, so its own routine (or anyone) may queue it again.
 * Every transition happens under the lock of the {@link DpcQueue} it concerns; the null-to-queue
 * step is a compare-and-set, so two processors can never both take it.
 */
public final class KDpc {

  /** What the DPC runs, with the system arguments of its insert. */
  @FunctionalInterface
  public interface Routine {
    void run(Object argument1, Object argument2);
  }

  /** No target: the DPC goes to the inserting processor, or round-robin from other threads. */
  static final int NO_TARGET = -1;

  private final String driver;
  private final String description;
  private final long address;
  private final Routine routine;
  private final AtomicReference<DpcQueue> queuedOn = new AtomicReference<>();
  private volatile int target = NO_TARGET;

  // Written and read only under the lock of the queue the DPC is on (not expressible for GuardedBy).
  private Object argument1;
  private Object argument2;

  /**
   * @param driver the service name a bug check in the routine names; null for the kernel's own
   * @param description what it is, for bug check messages ("the DPC com.example.Echo$$Lambda")
   * @param address its pseudo-address, as a bug check's parameter shows it
   * @param routine what it runs, through the driver's image gate for a driver's DPC
   */
  public KDpc(String driver, String description, long address, Routine routine) {
    this.driver = driver;
    this.description = Objects.requireNonNull(description, "description");
    this.address = address;
    this.routine = Objects.requireNonNull(routine, "routine");
  }

  /** The driver whose DPC it is, or null for the kernel's own. */
  public String driver() {
    return driver;
  }

  /** What it is, for messages. */
  public String description() {
    return description;
  }

  /** Its pseudo-address. */
  public long address() {
    return address;
  }

  /** Whether it is on a processor's queue and has not been taken to run. */
  public boolean isQueued() {
    return queuedOn.get() != null;
  }

  /** The processor it targets, or {@link #NO_TARGET}. */
  int target() {
    return target;
  }

  /** Models {@code KeSetTargetProcessorDpc}: later inserts go to processor {@code number}. */
  void setTarget(int number) {
    target = number;
  }

  Routine routine() {
    return routine;
  }

  /** Under {@code queue}'s lock: takes the DPC for {@code queue}, with its arguments; false if queued. */
  boolean claim(DpcQueue queue, Object first, Object second) {
    if (!queuedOn.compareAndSet(null, queue)) {
      return false;
    }
    argument1 = first;
    argument2 = second;
    return true;
  }

  /** Under {@code queue}'s lock: whether it is on {@code queue} now. */
  boolean isOn(DpcQueue queue) {
    return queuedOn.get() == queue;
  }

  /** The queue it is on now, or null: read without a lock, then checked under that queue's. */
  DpcQueue queue() {
    return queuedOn.get();
  }

  /** Under its queue's lock: off the queue; the arguments it was queued with, to run it. */
  Object[] release() {
    Object[] arguments = {argument1, argument2};
    argument1 = null;
    argument2 = null;
    queuedOn.set(null);
    return arguments;
  }

  @Override
  public String toString() {
    return description;
  }
}
