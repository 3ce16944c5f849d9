package ntio.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A client issuing an overlapped read of an empty Echo races the rundown of its own process (what
 * the daemon does when the client disconnects). The read is either refused — {@code
 * STATUS_PROCESS_IS_TERMINATING} once the rundown began, or {@code STATUS_INVALID_HANDLE} once it
 * closed the handle — or cancelled by the rundown. It is never orphaned: an orphaned read stays in
 * Echo's FIFO holding the dead process's file object, so Echo's open count never returns to what
 * it was and Echo can never unload.
 *
 * <p>Each state takes a kernel with Echo loaded from {@link EchoKernels}, whose own client keeps
 * one open, and makes a new client process with Echo open.
 *
 * <p>Result: r1 = how the read ended (4 refused, 2 cancelled, 0 still pending: orphaned, 3
 * anything else), r2 = Echo's open count afterwards (1: only the pool's own client), r3 = the code
 * of the bug check that halted the kernel (0 none).
 */
@JCStressTest
@Description("An overlapped read issued versus the rundown of its process: refused or cancelled, never orphaned.")
@Outcome(id = "4, 1, 0", expect = ACCEPTABLE,
    desc = "The rundown began first: the read was refused before any driver saw it.")
@Outcome(id = "2, 1, 0", expect = ACCEPTABLE,
    desc = "The read reached Echo first: the rundown cancelled it.")
@Outcome(id = "0, .*", expect = FORBIDDEN,
    desc = "The read is still pending after its process was run down: orphaned.")
@Outcome(id = ".*", expect = FORBIDDEN,
    desc = "Another status, Echo still held open by the dead process, or a bug check.")
@State
public class IssueVersusRundown {

  private final EchoKernels.DoomedClient client = EchoKernels.instance().doom();

  /** Issues the read. */
  @Actor
  public void issue() {
    client.issue();
  }

  /** Runs the client's process down. */
  @Actor
  public void runDown() {
    client.runDown();
  }

  /** After both: how the read ended, Echo's open count, any bug check. */
  @Arbiter
  public void judge(III_Result result) {
    EchoKernels.RundownVerdict verdict = client.judge();
    result.r1 = verdict.read();
    result.r2 = verdict.echoOpens();
    result.r3 = verdict.bugCheck();
  }
}
