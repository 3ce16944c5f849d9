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
 * The last close of a PnP device races its bus reporting it missing (the root bus: its instance
 * key deleted and the root enumerated), which surprise-removes it (T40): IRP_MN_SURPRISE_REMOVAL at
 * once, IRP_MN_REMOVE_DEVICE only once no handle is open (DeviceNodeRemovePendingCloses until the
 * close). Whichever comes first, REMOVE_DEVICE is sent exactly once and after the close, the
 * driver's last device going unloads it (one DriverUnload), and nothing is left.
 *
 * <p>Result: r1 = the bus stopped reporting it (1); r2 = REMOVE_DEVICEs the driver saw; r3 = of
 * those, sent while a handle was open; r4 = DriverUnload calls; r5 = 1 when no devnode, device
 * object, driver or image is left.
 */
@JCStressTest
@Description("Last NtClose of a PnP device versus its surprise removal: one REMOVE_DEVICE, after the close.")
@Outcome(id = "1, 1, 0, 1, 1", expect = ACCEPTABLE,
    desc = "One REMOVE_DEVICE with no handle open, one DriverUnload, nothing left.")
@Outcome(id = ".*", expect = FORBIDDEN,
    desc = "REMOVE_DEVICE twice, never, or with the handle open; a missing or second DriverUnload; a leak.")
@State
public class SurpriseRemovalVersusLastClose {

  private final PnpRaceKernel.Race race = PnpRaceKernel.instance().arm();

  /** Closes the only handle to the device. */
  @Actor
  public void close(IIIII_Result result) {
    if (!race.closeDevice()) {
      result.r5 = -1;
    }
  }

  /** The bus stops reporting the device. */
  @Actor
  public void unplug(IIIII_Result result) {
    result.r1 = race.surpriseRemove() ? 1 : 0;
  }

  /** Waits for the PnP manager to settle and judges what is left. */
  @Arbiter
  public void judge(IIIII_Result result) {
    PnpRaceKernel.Verdict verdict = race.judge();
    result.r2 = verdict.removes();
    result.r3 = verdict.removesWhileOpen();
    result.r4 = verdict.unloads();
    if (result.r5 == 0) {
      result.r5 = verdict.gone() ? 1 : 0;
    }
  }
}
