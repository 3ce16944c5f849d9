package ntio.kernel.executive;

/**
 * The system work queues: {@code WORK_QUEUE_TYPE}. Each is served by its own fixed set of System
 * process threads.
 */
public enum WorkQueueType {
  /** {@code CriticalWorkQueue}: time-critical work; its threads never page out their stacks. */
  CRITICAL(0),

  /**
   * {@code DelayedWorkQueue}: work that can wait. Loads, unloads and deferred {@code DriverUnload}
   * calls run here.
   */
  DELAYED(1),

  /** {@code HyperCriticalWorkQueue}: reserved for the system's own most urgent work. */
  HYPER_CRITICAL(2);

  private final int ntValue;

  WorkQueueType(int ntValue) {
    this.ntValue = ntValue;
  }

  /** The value NT gives this queue type. Models {@code WORK_QUEUE_TYPE} (full). */
  public int ntValue() {
    return ntValue;
  }
}
