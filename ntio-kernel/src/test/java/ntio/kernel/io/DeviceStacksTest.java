package ntio.kernel.io;

import static ntio.ddk.DeviceFlags.DOE_DELETE_PENDING;
import static ntio.ddk.DeviceFlags.DOE_UNLOAD_PENDING;
import static ntio.ddk.DeviceFlags.DO_DEVICE_INITIALIZING;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import ntio.ddk.DeviceObject;
import ntio.ddk.NtStatus;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device stacks from real driver images: attach (by pointer and by name), detach, and the
 * lower/top/base lookups (B30–B33, B35; T10, T13), including stacks that span two drivers and a
 * lower driver whose unload is deferred by the device on top of it.
 *
 * <p>DOE_START_PENDING propagation (B30) is not tested: nothing a driver can call sets it.
 */
@Timeout(30)
class DeviceStacksTest {

  /** A lab driver with one exclusive named device, {@code \Device\LabH} (T4's helper). */
  private static final String HELPER = "LabH";

  /** A lab driver with a control device and an unnamed pass-through device {@code m}. */
  private static final String MAIN = "LabM";

  @TempDir Path state;

  private IoLab lab;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  /** Loads the helper and the main driver and opens the main driver's control device. */
  private IoLab.Open helperAndMain(String... helperEntry) {
    lab.lab(HELPER).entry("create h \\Device\\LabH excl").entry(helperEntry).load();
    lab.lab(MAIN).entry("create ctl \\Device\\LabMCtl", "create m -", "passdown m").load();
    return lab.open("\\Device\\LabMCtl", MAIN);
  }

  /** A driver with a control device and three named devices, {@code a} (a disk), {@code b}, {@code c}. */
  private IoLab.Open threeDevices() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl", "create a \\Device\\LabS1 type=0x07",
        "create b \\Device\\LabS2", "create c \\Device\\LabS3").load();
    return lab.open("\\Device\\LabCtl", "LabA");
  }

  // B30 IoAttachDeviceToDeviceStackSafe -----------------------------------------------------------

  @Test
  void B30_attachingGoesOnTopOfTheStackAndReturnsTheFormerTop() {
    IoLab.Open ctl = threeDevices();

    ctl.run("attach b a r1", "attach c a r2", "state a sa", "state b sb", "state c sc");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("r1.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("r1.Device")).isEqualTo("a");
    assertThat(seen.status("r2.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("r2.Device")).isEqualTo("b");
    assertThat(seen.string("sa.AttachedDevice")).isEqualTo("b");
    assertThat(seen.string("sb.AttachedTo")).isEqualTo("a");
    assertThat(seen.string("sb.AttachedDevice")).isEqualTo("c");
    assertThat(seen.string("sc.AttachedTo")).isEqualTo("b");
    assertThat(seen.string("sc.AttachedDevice")).isEqualTo("null");
    assertThat(seen.dword("sa.StackSize")).isEqualTo(1);
    assertThat(seen.dword("sb.StackSize")).isEqualTo(2);
    assertThat(seen.dword("sc.StackSize")).isEqualTo(3);
    // The disk's sector size travels up the stack.
    assertThat(seen.dword("sb.SectorSize")).isEqualTo(512);
    assertThat(seen.dword("sc.SectorSize")).isEqualTo(512);
    ctl.close();
  }

  @Test
  void B30_aDeviceIsNotAttachableWhileDriverEntryThatCreatedItRuns() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl", "create a -", "create b -", "attach b a inEntry").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");

    ctl.run("attach b a afterEntry");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("inEntry.Status")).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(seen.string("inEntry.Device")).isEqualTo("null");
    assertThat(seen.status("afterEntry.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    ctl.close();
  }

  @Test
  void B30_aDeviceCreatedInADispatchRoutineRefusesAttachUntilItsDriverClearsInitializing() {
    IoLab.Open ctl = threeDevices();

    ctl.run("create low -", "create up -", "state low before", "attach up low refused", "ready low",
        "state low after", "attach up low accepted", "state up up");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.dword("before.Flags") & DO_DEVICE_INITIALIZING).isEqualTo(DO_DEVICE_INITIALIZING);
    assertThat(seen.status("refused.Status")).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(seen.dword("after.Flags") & DO_DEVICE_INITIALIZING).isZero();
    assertThat(seen.status("accepted.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("up.AttachedTo")).isEqualTo("low");
    ctl.close();
  }

  @Test
  void B30_theTopOfTheTargetsStackNotTheTargetDecidesTheAttach() {
    IoLab.Open ctl = threeDevices();

    ctl.run("create base -", "ready base", "create mid -", "attach mid base midOnBase", "create top -",
        "attach top base midInitializing", "ready mid", "attach top base midReady");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.status("midOnBase.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.status("midInitializing.Status")).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(seen.status("midReady.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("midReady.Device")).isEqualTo("mid");
    ctl.close();
  }

  @Test
  void B30_attachingOntoADeletePendingDeviceIsRefused() {
    lab.lab("LabA").entry("create ctl \\Device\\LabCtl", "create x \\Device\\LabX", "create s -").load();
    IoLab.Open ctl = lab.open("\\Device\\LabCtl", "LabA");
    IoLab.Open x = lab.open("\\Device\\LabX", "LabA");

    ctl.run("delete x", "state x sx", "attach s x refused");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.dword("sx.ExtensionFlags")).isEqualTo(DOE_DELETE_PENDING);
    assertThat(seen.status("refused.Status")).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    x.close();
    ctl.close();
  }

  @Test
  void B30_attachingOntoADeviceWhoseDriverIsUnloadPendingIsRefused() {
    lab.lab("LabL").entry("create l \\Device\\LabL").load();
    lab.lab(MAIN).entry("create ctl \\Device\\LabMCtl", "create m -").load();
    IoLab.Open held = lab.open("\\Device\\LabL", "LabL");
    assertThat(lab.unload("LabL")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(lab.observed("LabL").has("Unload.Count")).as("the unload is deferred").isFalse();
    IoLab.Open ctl = lab.open("\\Device\\LabMCtl", MAIN);

    ctl.run("ref l \\Device\\LabL", "state l sl", "attach m l byPointer", "attachname m \\Device\\LabL byName",
        "deref l", "state m sm");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.dword("sl.ExtensionFlags")).isEqualTo(DOE_UNLOAD_PENDING);
    assertThat(seen.status("byPointer.Status")).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    // B31 + B36: the attach's own open is refused.
    assertThat(seen.status("byName.Status")).isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);
    assertThat(seen.string("sm.AttachedTo")).isEqualTo("null");

    held.close();
    lab.awaitUnloaded("LabL");
    assertThat(lab.observed("LabL").dword("Unload.Count")).isEqualTo(1);
    ctl.close();
  }

  // B31 IoAttachDevice -----------------------------------------------------------------------------

  @Test
  void B31_T10_attachingByNameToAnExclusiveDeviceSucceedsAndLeavesNoOpenBehind() {
    IoLab.Open ctl = helperAndMain();

    ctl.run("attachname m \\Device\\LabH r", "ref hd \\Device\\LabH", "state hd sh", "state m sm", "deref hd");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.status("r.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("r.Device")).isEqualTo("\\Device\\LabH");
    assertThat(seen.dword("sh.ReferenceCount")).isZero();
    assertThat(seen.string("sh.AttachedDevice")).isEqualTo("m");
    assertThat(seen.string("sm.AttachedTo")).isEqualTo("\\Device\\LabH");
    assertThat(seen.dword("sm.StackSize")).isEqualTo(2);
    // The attach's open reached the helper, and so did its close (passed down by m, now on top).
    IoLab.Observed helper = lab.observed(HELPER);
    assertThat(helper.count("h.IRP_MJ_CREATE")).isEqualTo(1);
    assertThat(helper.count("h.IRP_MJ_CLOSE")).isEqualTo(1);
    assertThat(seen.count("m.IRP_MJ_CREATE")).as("m was not on the stack yet").isZero();
    ctl.close();
  }

  @Test
  void B31_attachingByNameGoesOnTopOfTheTargetsWholeStack() {
    IoLab.Open ctl = helperAndMain();
    ctl.run("attachname m \\Device\\LabH r");
    lab.lab("LabN").entry("create ctl \\Device\\LabNCtl", "create n -").load();
    IoLab.Open second = lab.open("\\Device\\LabNCtl", "LabN");

    second.run("attachname n \\Device\\LabH r", "state n sn");

    IoLab.Observed seen = lab.observed("LabN");
    assertThat(seen.status("r.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.string("r.Device")).as("LabM's unnamed m").isEqualTo("unnamed");
    assertThat(seen.dword("sn.StackSize")).isEqualTo(3);
    // The attach's open went to the top of the stack, m, which passed it down to h.
    assertThat(lab.observed(MAIN).count("m.IRP_MJ_CREATE")).isEqualTo(1);
    assertThat(lab.observed(HELPER).count("h.IRP_MJ_CREATE")).isEqualTo(2);
    second.close();
    ctl.close();
  }

  @Test
  void B31_attachingByNameBypassesTheExclusiveCheckOfADeviceAlreadyOpen() {
    IoLab.Open ctl = helperAndMain();
    KThread other = lab.kernel.administratorSession("other", Sid.unixUser(1001));
    IoLab.Open first = lab.open("\\Device\\LabH", HELPER);
    assertThat(lab.open(other, "\\Device\\LabH", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_ACCESS_DENIED);

    ctl.run("attachname m \\Device\\LabH r", "ref hd \\Device\\LabH", "state hd sh", "deref hd");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.status("r.Status")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(seen.dword("sh.ReferenceCount")).as("only the client's open").isEqualTo(1);
    first.close();
    ctl.close();
  }

  @Test
  void B31_attachingToAMissingNameReturnsTheOpensStatus() {
    IoLab.Open ctl = helperAndMain();

    ctl.run("attachname m \\Device\\Nope r", "state m sm");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.status("r.Status")).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(seen.string("r.Device")).isEqualTo("null");
    assertThat(seen.string("sm.AttachedTo")).isEqualTo("null");
    ctl.close();
  }

  @Test
  void B31_aTargetFailingTheAttachOpenFailsTheAttachWithItsStatus() {
    IoLab.Open ctl = helperAndMain("failcreate h 0xC00000A3");

    ctl.run("attachname m \\Device\\LabH r", "ref hd \\Device\\LabH", "state hd sh", "deref hd");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.status("r.Status")).isEqualTo(NtStatus.STATUS_DEVICE_NOT_READY);
    assertThat(seen.dword("sh.ReferenceCount")).isZero();
    assertThat(seen.string("sh.AttachedDevice")).isEqualTo("null");
    assertThat(lab.observed(HELPER).count("h.IRP_MJ_CLOSE")).isZero();
    ctl.close();
  }

  // B32 IoDetachDevice ---------------------------------------------------------------------------

  @Test
  void B32_detachClearsBothLinks() {
    IoLab.Open ctl = threeDevices();

    ctl.run("attach b a r1", "attach c a r2", "detach b", "state b sb", "state c sc");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.string("sb.AttachedDevice")).isEqualTo("null");
    assertThat(seen.string("sc.AttachedTo")).isEqualTo("null");
    assertThat(seen.string("sb.AttachedTo")).as("the link below b stays").isEqualTo("a");
    ctl.close();
  }

  @Test
  void B32_detachingFromAnotherDriversDeviceClearsItsLinkToo() {
    IoLab.Open ctl = helperAndMain();

    ctl.run("attachname m \\Device\\LabH r", "ref hd \\Device\\LabH", "detach hd", "state hd sh", "state m sm",
        "deref hd");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.string("sh.AttachedDevice")).isEqualTo("null");
    assertThat(seen.string("sm.AttachedTo")).isEqualTo("null");
    ctl.close();
  }

  // B33 IoGetLowerDeviceObject, B35 the top and the base -------------------------------------------

  @Test
  void B33_T10_theLowerDeviceAndTheBaseOfTheStackAreTheTargetAndReferenced() {
    IoLab.Open ctl = helperAndMain();
    ctl.run("attachname m \\Device\\LabH r");
    long before = lab.devicePointers("\\Device\\LabH");

    ctl.run("lower m low", "base m bas");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.string("low")).isEqualTo("\\Device\\LabH");
    assertThat(seen.string("bas")).isEqualTo("\\Device\\LabH");
    assertThat(lab.devicePointers("\\Device\\LabH")).isEqualTo(before + 2);

    ctl.run("deref low", "deref bas");

    assertThat(lab.devicePointers("\\Device\\LabH")).isEqualTo(before);
    ctl.close();
  }

  @Test
  void B33_T13_aLowerDriversDeferredUnloadStillReturnsTheLowerDeviceAndTheDetachFinishesIt() {
    IoLab.Open ctl = helperAndMain();
    ctl.run("attachname m \\Device\\LabH r", "ref hd \\Device\\LabH");

    assertThat(lab.unload(HELPER)).isEqualTo(NtStatus.STATUS_SUCCESS);

    IoLab.Observed helper = lab.observed(HELPER);
    assertThat(helper.has("Unload.Count")).as("the helper's unload is deferred").isFalse();
    assertThat(lab.deviceExists("\\Device\\LabH")).isTrue();
    assertThat(lab.driverExists(HELPER)).isTrue();
    ctl.run("lower m low", "state hd sh", "deref low");
    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.string("low")).isEqualTo("\\Device\\LabH");
    assertThat(seen.dword("sh.ExtensionFlags")).isEqualTo(DOE_UNLOAD_PENDING);
    assertThat(seen.string("sh.AttachedDevice")).isEqualTo("m");
    assertThat(lab.open(lab.admin, "\\Device\\LabH", IoLab.READ_WRITE).status())
        .isEqualTo(NtStatus.STATUS_NO_SUCH_DEVICE);

    ctl.run("detach hd", "deref hd");

    lab.awaitUnloaded(HELPER);
    assertThat(helper.dword("Unload.Count")).isEqualTo(1);
    assertThat(lab.deviceExists("\\Device\\LabH")).isFalse();
    ctl.close();
  }

  @Test
  void B33_aDeviceThatIsUnloadPendingHasNoLowerDevice() {
    IoLab.Open ctl = helperAndMain();
    ctl.run("attachname m \\Device\\LabH r", "lower m before", "deref before");

    assertThat(lab.unload(MAIN)).isEqualTo(NtStatus.STATUS_SUCCESS);
    ctl.run("state m sm", "lower m after");

    IoLab.Observed seen = lab.observed(MAIN);
    assertThat(seen.string("before")).isEqualTo("\\Device\\LabH");
    assertThat(seen.dword("sm.ExtensionFlags")).isEqualTo(DOE_UNLOAD_PENDING);
    assertThat(seen.string("after")).isEqualTo("null");

    // The last close lets the deferred unload run: it detaches m and deletes both devices.
    ctl.close();
    lab.awaitUnloaded(MAIN);
    assertThat(lab.device("\\Device\\LabH", DeviceObject::attachedDevice)).isNull();
  }

  @Test
  void B33_aDeviceThatIsDeletePendingHasNoLowerDevice() {
    IoLab.Open ctl = threeDevices();

    ctl.run("attach b a r", "lower b before", "deref before", "refobj b keepB", "delete b", "state b sb",
        "lower b after", "detach a", "deref keepB");

    IoLab.Observed seen = lab.observed("LabA");
    assertThat(seen.string("before")).isEqualTo("a");
    assertThat(seen.dword("sb.ExtensionFlags")).isEqualTo(DOE_DELETE_PENDING);
    assertThat(seen.string("after")).isEqualTo("null");
    ctl.close();
  }

  @Test
  void B35_theAttachedReferenceIsTheTopAndTheBaseReferenceTheBottomBothReferenced() {
    IoLab.Open ctl = threeDevices();
    ctl.run("attach b a r1", "attach c a r2");
    long top = lab.devicePointers("\\Device\\LabS3");
    long bottom = lab.devicePointers("\\Device\\LabS1");

    ctl.run("top a t1", "top b t2", "top c t3", "base c b1", "base b b2", "base a b3");

    IoLab.Observed seen = lab.observed("LabA");
    for (String result : new String[] {"t1", "t2", "t3"}) {
      assertThat(seen.string(result)).as(result).isEqualTo("c");
    }
    for (String result : new String[] {"b1", "b2", "b3"}) {
      assertThat(seen.string(result)).as(result).isEqualTo("a");
    }
    assertThat(lab.devicePointers("\\Device\\LabS3")).isEqualTo(top + 3);
    assertThat(lab.devicePointers("\\Device\\LabS1")).isEqualTo(bottom + 3);

    ctl.run("deref t1", "deref t2", "deref t3", "deref b1", "deref b2", "deref b3");

    assertThat(lab.devicePointers("\\Device\\LabS3")).isEqualTo(top);
    assertThat(lab.devicePointers("\\Device\\LabS1")).isEqualTo(bottom);
    ctl.close();
  }
}
