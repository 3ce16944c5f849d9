package ntio.kernel.ke;

import ntio.ddk.Irql;

/**
 * One thread's dispatcher state in one kernel: its IRQL and what it holds at that level. Models
 * the {@code KPCR.Irql} of the processor the thread runs on together with the per-thread counts
 * NT's checks read (partial).
 *
 * <p>Confined to its thread: only the thread it belongs to reads or writes it, through {@link
 * Irqls}; no field needs a lock.
 */
public final class IrqlState {

  private Irql irql = Irql.PASSIVE_LEVEL;
  private int spinLocksHeld;
  private boolean inDpc;
  private String leftRaisedBy;

  IrqlState() {}

  /** The thread's IRQL. */
  public Irql irql() {
    return irql;
  }

  void setIrql(Irql irql) {
    this.irql = irql;
  }

  /** How many spin locks the thread holds (the cancel spin lock included). */
  public int spinLocksHeld() {
    return spinLocksHeld;
  }

  void spinLockAcquired() {
    spinLocksHeld++;
  }

  void spinLockReleased() {
    spinLocksHeld--;
  }

  /**
   * The driver whose routine last returned to the kernel at another IRQL than it was entered at
   * with no check at that door (a dispatch, completion or cancel routine): the driver a later
   * check on this thread names. Null when none did.
   */
  public String leftRaisedBy() {
    return leftRaisedBy;
  }

  void setLeftRaisedBy(String driver) {
    this.leftRaisedBy = driver;
  }

  /** Puts the thread back to {@code irql} holding {@code spinLocks}, forgetting who left it raised. */
  void restore(Irql irql, int spinLocks) {
    this.irql = irql;
    this.spinLocksHeld = spinLocks;
    this.leftRaisedBy = null;
  }

  /** Whether the thread is running a DPC routine (a wait there is {@code ATTEMPTED_SWITCH_FROM_DPC}). */
  public boolean inDpc() {
    return inDpc;
  }

  void setInDpc(boolean inDpc) {
    this.inDpc = inDpc;
  }
}
