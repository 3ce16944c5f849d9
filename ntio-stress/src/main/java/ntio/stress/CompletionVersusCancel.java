package ntio.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/**
 * The Echo driver completing a pending read, because a write brought it a byte, races
 * {@code NtCancelIoFileEx} of that read. Echo follows the cancel-safe protocol of
 * {@code IoSetCancelRoutine}: whichever path takes the cancel routine back owns the read. So the
 * read completes exactly once — with the byte, or with {@code STATUS_CANCELLED} and the byte left
 * in the FIFO — its APC runs once, and no byte is lost or duplicated. A second completion would
 * bug-check the kernel with {@code MULTIPLE_IRP_COMPLETE_REQUESTS} (0x44).
 *
 * <p>Each state has a kernel of its own with Echo loaded ({@link EchoKernels}), and a 1-byte read
 * pending on its empty FIFO.
 *
 * <p>Result: r1 = how the read ended (1 completed with the byte, 2 cancelled, 0 still pending, 3
 * anything else), r2 = how many times its APC ran, r3 = the bytes left in the FIFO after the race
 * (-1 if it could not be asked), r4 = the code of the bug check that halted the kernel (0 none),
 * r5 = the write and the cancel answered as NT allows (1 for yes).
 */
@JCStressTest
@Description("Echo completing a pending read (a write arrives) versus NtCancelIoFileEx of it: exactly one completion.")
@Outcome(id = "1, 1, 0, 0, 1", expect = ACCEPTABLE,
    desc = "The write won: the read completed with the byte, its APC ran once, the FIFO is empty.")
@Outcome(id = "2, 1, 1, 0, 1", expect = ACCEPTABLE,
    desc = "The cancel won: the read completed STATUS_CANCELLED, its APC ran once, the byte waits in the FIFO.")
@Outcome(id = "[^,]*, [^,]*, [^,]*, [1-9][0-9]*, [^,]*", expect = FORBIDDEN,
    desc = "A bug check halted the kernel; 68 (0x44, MULTIPLE_IRP_COMPLETE_REQUESTS) means the read was completed twice.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The read never completed: lost between the write and the cancel.")
@Outcome(id = "[^,]*, ([02-9]|[1-9][0-9]+), .*", expect = FORBIDDEN, desc = "The APC ran zero times or more than once.")
@Outcome(id = "1, 1, [1-9][0-9]*, 0, 1", expect = FORBIDDEN,
    desc = "The read got the byte and the FIFO still holds one: the byte was duplicated.")
@Outcome(id = "2, 1, 0, 0, 1", expect = FORBIDDEN, desc = "The read was cancelled and the FIFO is empty: the byte was lost.")
@Outcome(id = ".*", expect = FORBIDDEN,
    desc = "Another status, byte count or byte; a FIFO that could not be asked; or a write or cancel that answered what NT does not allow.")
@State
public class CompletionVersusCancel {

  private final EchoKernels.PendingRead read = EchoKernels.instance().arm();

  /** Writes one byte, which completes the pending read unless it was cancelled first. */
  @Actor
  public void write() {
    read.write();
  }

  /** Cancels the pending read. */
  @Actor
  public void cancel() {
    read.cancel();
  }

  /** After both: how the read ended, how many APCs, what the FIFO held, and any bug check. */
  @Arbiter
  public void judge(IIIII_Result result) {
    EchoKernels.Verdict verdict = read.judge();
    result.r1 = verdict.read();
    result.r2 = verdict.apcs();
    result.r3 = verdict.bytesLeft();
    result.r4 = verdict.bugCheck();
    result.r5 = verdict.callsAnswered() ? 1 : 0;
  }
}
