package ntio.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLI_Result;

/**
 * A reload right after the last close (issue 15; spec B20; NT's {@code IopCompleteUnloadOrDelete}
 * finishes a deferred unload within the dereference that triggers it). NtUnloadDriver was asked
 * for while the driver's device was open, so it was deferred; one client then closes that last
 * handle and at once loads the same service again. The last close must have finished DriverUnload
 * and unmapped the image before it returned, so that load succeeds — never
 * {@code STATUS_IMAGE_ALREADY_LOADED} — unless another client reloaded the service first.
 *
 * <p>Each nested test races that client against another client process doing one thing to the
 * same service, the three things that meet the unload in flight: opening its device (the open
 * looks the old device up while DriverUnload deletes it), loading it (a second load that may come
 * before, between or after) and unloading it (a second NtUnloadDriver, which may come before the
 * close, during the deferred unload or after the reload). The states are {@link ReloadRace}s on
 * {@link RaceKernel}'s shared kernel.
 *
 * <p>Result: r1 = the status of the reload after the last close, r2 = the status of the other
 * client's call, r3 = how the driver ended once everything queued had run: 1 loaded, 0 gone, -1
 * half gone (its object without its image, or the reverse).
 */
public final class ReloadAfterLastClose {

  private ReloadAfterLastClose() {}

  /** The other client opens the device while the last close and the reload run. */
  @JCStressTest
  @Description("Last close then reload, versus another client's NtCreateFile of the device: the reload succeeds.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_NO_SUCH_DEVICE, 1", expect = ACCEPTABLE,
      desc = "The open came while the old device was unload-pending or being deleted, or the new one initializing.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_OBJECT_NAME_NOT_FOUND, 1", expect = ACCEPTABLE,
      desc = "The open came after DriverUnload deleted the old device, before the reload created the new one.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_SUCCESS, 1", expect = ACCEPTABLE,
      desc = "The open came after the reload and opened the new device.")
  @Outcome(id = "STATUS_IMAGE_ALREADY_LOADED, .*", expect = FORBIDDEN,
      desc = "The bug: the last close returned with the old image still mapped, so the reload was refused.")
  @Outcome(id = ".*", expect = FORBIDDEN,
      desc = "Any other status, or the driver not loaded once exactly, after the reload succeeded.")
  @State
  public static class VersusOpen {

    private final ReloadRace race = new ReloadRace(RaceKernel.instance());

    /** The last close, then the reload. */
    @Actor
    public void closeThenReload(LLI_Result result) {
      result.r1 = race.closeThenReload();
    }

    /** The other client's open. */
    @Actor
    public void open(LLI_Result result) {
      result.r2 = race.otherOpens();
    }

    /** After both: how the driver ended. */
    @Arbiter
    public void judge(LLI_Result result) {
      result.r3 = race.judge();
    }
  }

  /** The other client loads the same service while the last close and the reload run. */
  @JCStressTest
  @Description("Last close then reload, versus another client's NtLoadDriver: exactly one load succeeds.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_IMAGE_ALREADY_LOADED, 1", expect = ACCEPTABLE,
      desc = "The other load came before the last close finished the unload (the old image still mapped), or after the reload.")
  @Outcome(id = "STATUS_IMAGE_ALREADY_LOADED, STATUS_SUCCESS, 1", expect = ACCEPTABLE,
      desc = "The other load came between the end of the last close and the reload, and loaded the driver first.")
  @Outcome(id = "STATUS_IMAGE_ALREADY_LOADED, STATUS_IMAGE_ALREADY_LOADED, .*", expect = FORBIDDEN,
      desc = "The bug: neither load succeeded, so the reload after the last close found the old image still mapped.")
  @Outcome(id = ".*", expect = FORBIDDEN,
      desc = "Both loads succeeded, another status, or the driver not loaded at the end.")
  @State
  public static class VersusLoad {

    private final ReloadRace race = new ReloadRace(RaceKernel.instance());

    /** The last close, then the reload. */
    @Actor
    public void closeThenReload(LLI_Result result) {
      result.r1 = race.closeThenReload();
    }

    /** The other client's load. */
    @Actor
    public void load(LLI_Result result) {
      result.r2 = race.otherLoads();
    }

    /** After both: how the driver ended. */
    @Arbiter
    public void judge(LLI_Result result) {
      result.r3 = race.judge();
    }
  }

  /** The other client unloads the same service while the last close and the reload run. */
  @JCStressTest
  @Description("Last close then reload, versus another client's NtUnloadDriver: the reload succeeds.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_SUCCESS, 1", expect = ACCEPTABLE,
      desc = "The other unload came before the last close: deferred again, and the last close finished it.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_DELETE_PENDING, 1", expect = ACCEPTABLE,
      desc = "The other unload came after the last close invoked the deferred unload, before the old driver's name went.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_OBJECT_NAME_NOT_FOUND, 1", expect = ACCEPTABLE,
      desc = "The other unload came after the old driver's name went, before the reload.")
  @Outcome(id = "STATUS_SUCCESS, STATUS_SUCCESS, 0", expect = ACCEPTABLE,
      desc = "The other unload came after the reload, and unloaded the reloaded driver at once.")
  @Outcome(id = "STATUS_IMAGE_ALREADY_LOADED, .*", expect = FORBIDDEN,
      desc = "The bug: the last close returned with the old image still mapped, so the reload was refused.")
  @Outcome(id = ".*", expect = FORBIDDEN,
      desc = "Any other status, or a driver left half unloaded.")
  @State
  public static class VersusUnload {

    private final ReloadRace race = new ReloadRace(RaceKernel.instance());

    /** The last close, then the reload. */
    @Actor
    public void closeThenReload(LLI_Result result) {
      result.r1 = race.closeThenReload();
    }

    /** The other client's unload. */
    @Actor
    public void unload(LLI_Result result) {
      result.r2 = race.otherUnloads();
    }

    /** After both: how the driver ended. */
    @Arbiter
    public void judge(LLI_Result result) {
      result.r3 = race.judge();
    }
  }
}
