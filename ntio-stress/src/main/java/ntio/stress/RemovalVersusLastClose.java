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
 * The last close of a PnP device races {@code NtApi.removeDevice} of its devnode (spec B40-B42,
 * T38-T40: the query-remove is vetoed while a handle is open). The device is its WDM driver's
 * only one. Either the close came first and the device is removed (one IRP_MN_REMOVE_DEVICE, no
 * handle open by then, the driver's PnP unload with one DriverUnload, nothing left), or the
 * removal came first and was vetoed (no REMOVE_DEVICE, the device started, usable and its driver
 * loaded).
 *
 * <p>Result: r1 = the removal: 1 removed, 0 vetoed, 2 failed otherwise; r2 = REMOVE_DEVICEs the
 * driver saw; r3 = of those, sent while a handle was open; r4 = DriverUnload calls; r5 = 1 when
 * what is left matches r1 (removed: no devnode, device object, driver or image; vetoed: the
 * devnode Started, the device opens, the driver loaded).
 */
@JCStressTest
@Description("Last NtClose of a PnP device versus removeDevice of its devnode: vetoed, or one REMOVE_DEVICE after the close.")
@Outcome(id = "1, 1, 0, 1, 1", expect = ACCEPTABLE,
    desc = "The close came first: removed, one REMOVE_DEVICE with no handle open, one DriverUnload, nothing left.")
@Outcome(id = "0, 0, 0, 0, 1", expect = ACCEPTABLE,
    desc = "The removal came first: vetoed by the open handle; the device still started and usable.")
@Outcome(id = ".*", expect = FORBIDDEN,
    desc = "REMOVE_DEVICE twice or with the handle open, a missing or second DriverUnload, or a leak.")
@State
public class RemovalVersusLastClose {

  private final PnpRaceKernel.Race race = PnpRaceKernel.instance().arm();

  /** Closes the only handle to the device. */
  @Actor
  public void close(IIIII_Result result) {
    if (!race.closeDevice()) {
      result.r5 = -1;
    }
  }

  /** Asks for the devnode's removal. */
  @Actor
  public void remove(IIIII_Result result) {
    result.r1 = race.removeDevice();
  }

  /** Waits for the PnP manager to settle and judges what is left. */
  @Arbiter
  public void judge(IIIII_Result result) {
    PnpRaceKernel.Verdict verdict = race.judge();
    result.r2 = verdict.removes();
    result.r3 = verdict.removesWhileOpen();
    result.r4 = verdict.unloads();
    if (result.r5 == 0) {
      result.r5 = (result.r1 == 1 ? verdict.gone() : result.r1 == 0 && verdict.started()) ? 1 : 0;
    }
  }
}
