package ntio.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The last close of a driver's only open device races NtUnloadDriver for that driver (spec B19,
 * B20). Whichever wins, DriverUnload must run exactly once — at once in NtUnloadDriver if the
 * close came first, from the close if the unload came first and was deferred — and the driver and
 * its image must be gone afterwards.
 *
 * <p>Result: r1 = the close succeeded, r2 = the unload succeeded, r3 = how many times DriverUnload
 * ran, r4 = the driver object and its image are gone (1 for yes).
 */
@JCStressTest
@Description("Last NtClose of a device versus NtUnloadDriver of its driver: exactly one DriverUnload.")
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "Both calls succeeded, DriverUnload ran once, the driver is gone.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A call failed, DriverUnload ran zero times or more than once, or the driver stayed.")
@State
public class LastCloseVersusUnload {

  private final RaceKernel.Race race = RaceKernel.instance().arm();

  /** Closes the only handle to the device. */
  @Actor
  public void close(IIII_Result result) {
    result.r1 = race.closeDevice() ? 1 : 0;
  }

  /** Asks for the driver's unload. */
  @Actor
  public void unload(IIII_Result result) {
    result.r2 = race.unloadDriver() ? 1 : 0;
  }

  /** After both: how many DriverUnload calls, and whether the driver is gone. */
  @Arbiter
  public void judge(IIII_Result result) {
    RaceKernel.Verdict verdict = race.judge();
    result.r3 = verdict.unloads();
    result.r4 = verdict.gone() ? 1 : 0;
  }
}
