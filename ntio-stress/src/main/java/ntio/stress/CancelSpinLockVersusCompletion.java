package ntio.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import ntio.kernel.Kernel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * {@code IoCancelIrp} under the cancel spin lock races Echo completing the same pending read after
 * taking its cancel routine back ({@code setCancelRoutine(null)}). The kernel's IoCancelIrp takes
 * the cancel spin lock, marks the read cancelled, takes the routine and calls it at DISPATCH_LEVEL
 * holding the lock; Echo's routine releases it first, as NT drivers do. Whoever takes the routine
 * owns the read, so it is completed exactly once (a second completion is bug check 0x44), the
 * cancel routine runs at most once (a second run would complete it twice), and afterwards the
 * cancel spin lock is free and both callers' threads are back at PASSIVE_LEVEL.
 *
 * <p>Each state has a kernel of its own with Echo loaded ({@link EchoKernels}).
 *
 * <p>Result: r1 = how the read ended (1 completed with the byte, 2 cancelled, 0 still pending, 3
 * anything else), r2 = how many times its APC ran, r3 = the higher of the IRQLs the writer's and
 * the canceller's threads were left at, r4 = 1 if the cancel spin lock was still held after both,
 * r5 = the code of the bug check that halted the kernel (0 none).
 */
@JCStressTest
@Description("IoCancelIrp under the cancel spin lock versus Echo completing after setCancelRoutine(null): one completion, the lock free, both callers at PASSIVE_LEVEL.")
@Outcome(id = "1, 1, 0, 0, 0", expect = ACCEPTABLE,
    desc = "The completion won: its setCancelRoutine(null) took the routine, IoCancelIrp found none.")
@Outcome(id = "2, 1, 0, 0, 0", expect = ACCEPTABLE,
    desc = "IoCancelIrp won: the cancel routine ran once, under the lock, and completed the read cancelled.")
@Outcome(id = "[^,]*, [^,]*, [^,]*, [^,]*, [1-9][0-9]*", expect = FORBIDDEN,
    desc = "A bug check halted the kernel; 68 (0x44) means the read was completed twice.")
@Outcome(id = "[^,]*, [^,]*, [^,]*, 1, .*", expect = FORBIDDEN, desc = "The cancel spin lock was left held.")
@Outcome(id = "[^,]*, [^,]*, [1-9][0-9]*, .*", expect = FORBIDDEN, desc = "A caller's thread was left raised.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "The read never completed, completed otherwise, or its APC ran other than once.")
@State
public class CancelSpinLockVersusCompletion {

  private final EchoKernels.PendingRead read = EchoKernels.instance().arm();
  private volatile int writerIrql = -1;
  private volatile int cancellerIrql = -1;

  /** Writes one byte: Echo takes the read's cancel routine back and completes it. */
  @Actor
  public void write() {
    read.write();
    writerIrql = read.kernel().io().irqls().current().level();
  }

  /** Cancels the read: IoCancelIrp under the cancel spin lock. */
  @Actor
  public void cancel() {
    read.cancel();
    cancellerIrql = read.kernel().io().irqls().current().level();
  }

  /** After both: how the read ended, its APCs, the callers' IRQLs, the lock, any bug check. */
  @Arbiter
  public void judge(IIIII_Result result) {
    Kernel kernel = read.kernel();
    boolean lockHeld = kernel.io().spinLocks().cancelLock().isHeld();
    EchoKernels.Verdict verdict = read.judge();
    result.r1 = verdict.read();
    result.r2 = verdict.apcs();
    result.r3 = Math.max(writerIrql, cancellerIrql);
    result.r4 = lockHeld ? 1 : 0;
    result.r5 = verdict.bugCheck();
  }
}
