package ntio.ddk;

/**
 * An interrupt request level: the priority a processor runs at, which decides what may interrupt
 * the code running and what that code may do. Models {@code KIRQL} with the x64 values (partial:
 * one device level stands for the DIRQLs, and the clock, IPI and profile levels are left out).
 *
 * <p>Each kernel thread has its own IRQL, PASSIVE_LEVEL when it enters a driver from a system
 * call or a work item. It only goes up through {@link KernelServices#raiseIrql} or a spin lock and
 * only down to the level saved when it was raised. What is allowed at each level:
 *
 * <ul>
 *   <li>PASSIVE_LEVEL: everything. Dispatch routines for create, close, read, write and IOCTLs at
 *       the top of a stack, DriverEntry, DriverUnload, AddDevice, work items and system threads
 *       run here. Waits, paged pool, registry, object-manager calls.
 *   <li>APC_LEVEL: as passive, but no APC is delivered; fast mutexes raise to it.
 *   <li>DISPATCH_LEVEL: no waiting (other than a zero timeout), no paged pool, no pageable code
 *       or data, no registry or object-manager calls. Spin locks raise to it; DPCs, timer DPCs and
 *       cancel routines run at it; {@code IoCompleteRequest}, {@code IoCallDriver}, {@code
 *       KeSetEvent} and nonpaged pool are allowed.
 *   <li>DEVICE_LEVEL: a device interrupt's level (a DIRQL); what an interrupt service routine
 *       runs at. Even less is allowed: no DPC runs, no spin lock but the interrupt's.
 *   <li>HIGH_LEVEL: everything masked.
 * </ul>
 */
public enum Irql {
  /** {@code PASSIVE_LEVEL} (0): ordinary thread execution. */
  PASSIVE_LEVEL(0),
  /** {@code APC_LEVEL} (1): asynchronous procedure calls masked. */
  APC_LEVEL(1),
  /** {@code DISPATCH_LEVEL} (2): the thread dispatcher and DPCs masked; no page faults. */
  DISPATCH_LEVEL(2),
  /** A device interrupt level (x64's DIRQLs are 3 to 11; ntio has this one). */
  DEVICE_LEVEL(3),
  /** {@code HIGH_LEVEL} (15): every interrupt masked. */
  HIGH_LEVEL(15);

  private final int level;

  Irql(int level) {
    this.level = level;
  }

  /** The numeric level, as a bug check's parameters show it. */
  public int level() {
    return level;
  }

  /** Whether this level is above {@code other}. */
  public boolean isAbove(Irql other) {
    return level > other.level;
  }

  /** Whether this level is below {@code other}. */
  public boolean isBelow(Irql other) {
    return level < other.level;
  }
}
