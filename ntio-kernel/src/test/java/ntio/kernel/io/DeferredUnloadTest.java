package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_IMAGE_ALREADY_LOADED;
import static ntio.ddk.NtStatus.STATUS_NO_SUCH_DEVICE;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DriverFlags;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.io.unloadtests.scripted.ScriptedNames;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deferred unload on real driver images (spec B19–B21, B24, B32, B38, B39, B43, T13, T14,
 * T17, T37, T49): an unload asked for while a device is open or has a device on top returns
 * STATUS_SUCCESS and leaves the driver loaded, and every trigger — the last close, process
 * rundown, the detach of the device on top, a file system's unregister, a device's final delete —
 * later runs DriverUnload exactly once, after which the name is gone, the image is unmapped and
 * the driver loads again.
 */
@Timeout(60)
class DeferredUnloadTest {

  @TempDir
  Path state;

  private UnloadFixture f;

  @BeforeEach
  void boot() {
    f = UnloadFixture.boot(state);
  }

  @AfterEach
  void shutdown() {
    f.close();
  }

  private static RegValue device(String name) {
    return RegValue.string(ScriptedNames.DEVICE_NAME, name);
  }

  private boolean marked(String deviceName) {
    return (f.deviceState(deviceName).extensionFlags() & DeviceFlags.DOE_UNLOAD_PENDING) != 0;
  }

  private int driverFlags(String driverName) {
    return f.driverState(driverName).flags();
  }

  /** Deferred and nothing more: DriverUnload not called, the name still there, the image mapped. */
  private void assertDeferred(String service, String driverName, int unloads) {
    assertThat(f.observed(service, ScriptedNames.UNLOADS)).as("DriverUnload calls").isEqualTo(unloads);
    assertThat(f.driverResolves(driverName)).as("%s resolves", driverName).isTrue();
    assertThat(driverFlags(driverName) & DriverFlags.DRVO_UNLOAD_INVOKED).isZero();
    assertThat(f.imageLoaded(service + ".jar")).isTrue();
  }

  // B19, T49: the core scenario ------------------------------------------------------------------

  @Test
  void B19_T49_anUnloadWithAnOpenHandleIsDeferredUntilTheLastClose() {
    f.installScripted("UnlDefer", device("\\Device\\UnlDefer"),
        RegValue.string(ScriptedNames.SECOND_DEVICE, "\\Device\\UnlDefer2"));
    assertThat(f.load("UnlDefer")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlDefer");

    assertThat(f.unload("UnlDefer")).isEqualTo(STATUS_SUCCESS);

    assertDeferred("UnlDefer", "\\Driver\\UnlDefer", 0);
    assertThat(f.driverState("\\Driver\\UnlDefer").devices()).isEqualTo(2);
    assertThat(marked("\\Device\\UnlDefer")).isTrue();
    assertThat(marked("\\Device\\UnlDefer2")).as("the device nobody opened is marked too").isTrue();
    assertThat(f.deviceState("\\Device\\UnlDefer").referenceCount()).isEqualTo(1);
    assertThat(f.tryOpen(f.admin, "\\Device\\UnlDefer").status()).isEqualTo(STATUS_NO_SUCH_DEVICE);
    assertThat(f.tryOpen(f.admin, "\\Device\\UnlDefer2").status()).isEqualTo(STATUS_NO_SUCH_DEVICE);
    assertThat(f.generation(f.admin, handle)).as("IRPs on the open handle are still dispatched").isEqualTo(1);
    assertThat(f.load("UnlDefer")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);

    f.close(handle);

    f.awaitUnloaded("UnlDefer", "\\Driver\\UnlDefer", 1);
    assertThat(f.observedString("UnlDefer", ScriptedNames.UNLOAD_THREAD)).startsWith("ntio worker");
    assertThat(f.observed("UnlDefer", ScriptedNames.UNLOAD_FLAGS))
        .isEqualTo(DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED | DriverFlags.DRVO_UNLOAD_INVOKED);
    assertThat(f.observed("UnlDefer", ScriptedNames.UNLOAD_DEVICE_COUNT)).isEqualTo(2);
    assertThat(f.observed("UnlDefer", ScriptedNames.UNLOAD_ALL_MARKED)).isEqualTo(1);
    assertThat(f.deviceResolves("\\Device\\UnlDefer")).isFalse();
    assertThat(f.unload("UnlDefer")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    f.assertReloadsAndUnloadsAgain("UnlDefer", "\\Driver\\UnlDefer", 1);
  }

  /** What {@code ntio obj info} shows of a device: its and its driver's last transitions, with causes. */
  @Test
  void aDeferredUnloadShowsInTheDevicesAndTheDriversHistory() {
    f.installScripted("UnlHist", device("\\Device\\UnlHist"));
    assertThat(f.load("UnlHist")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlHist");
    assertThat(f.unload("UnlHist")).isEqualTo(STATUS_SUCCESS);

    ntio.api.DeviceInfo info = f.kernel.io().describeDevice("\\Device\\UnlHist").device();
    assertThat(info.history()).containsExactly("NEW", "ACTIVE (IoCreateDevice)", "UNLOAD_PENDING (NtUnloadDriver)");
    assertThat(info.driverHistory()).containsExactly("LOADING", "STARTED (DriverEntry succeeded)",
        "UNLOAD_PENDING (NtUnloadDriver)");

    f.close(handle);
    f.awaitUnloaded("UnlHist", "\\Driver\\UnlHist", 1);
  }

  // B38, T49 on the sample Echo driver ----------------------------------------------------------

  @Test
  void B38_T49_echoKeepsServingItsOpenHandleAfterTheUnloadIsMarked() {
    f.installSample("Echo", "Echo.jar");
    assertThat(f.load("Echo")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\??\\Echo");

    assertThat(f.unload("Echo")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.tryOpen(f.admin, "\\Device\\Echo").status()).isEqualTo(STATUS_NO_SUCH_DEVICE);
    assertThat(f.tryOpen(f.admin, "\\??\\Echo").status()).isEqualTo(STATUS_NO_SUCH_DEVICE);
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    IoResult written = f.kernel.services().ntWriteFile(f.admin, handle, hello, 0);
    assertThat(written.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(written.information()).isEqualTo(5);
    IoResult available = f.kernel.services().ntDeviceIoControlFile(f.admin, handle, 0x00226000, new byte[0], 4);
    assertThat(available.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(ByteBuffer.wrap(available.data()).order(ByteOrder.LITTLE_ENDIAN).getInt()).isEqualTo(5);
    IoResult read = f.kernel.services().ntReadFile(f.admin, handle, 16, 0);
    assertThat(read.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(read.data()).isEqualTo(hello);
    assertThat(f.driverResolves("\\Driver\\Echo")).isTrue();
    assertThat(f.deviceResolves("\\Device\\Echo")).isTrue();
    assertThat(f.load("Echo")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);

    f.close(handle);

    // Echo's DriverUnload deletes its link and its device.
    UnloadFixture.await("Echo to unload", () -> !f.driverResolves("\\Driver\\Echo")
        && !f.deviceResolves("\\Device\\Echo") && !f.linkResolves("\\??\\Echo") && !f.imageLoaded("Echo.jar"));
    assertThat(f.load("Echo")).isEqualTo(STATUS_SUCCESS);
    f.close(f.open(f.admin, "\\??\\Echo"));
    assertThat(f.unload("Echo")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.deviceResolves("\\Device\\Echo")).isFalse();
  }

  // B24, B39: the open count -----------------------------------------------------------------------

  @Test
  void B39_B24_eachFileObjectCountsOneOpenAndCleanupPrecedesCloseAtTheLastHandle() {
    f.installScripted("UnlCount", device("\\Device\\UnlCount"), RegValue.dword(ScriptedNames.LOG_IRPS, 1));
    assertThat(f.load("UnlCount")).isEqualTo(STATUS_SUCCESS);
    KProcess process = f.admin.process();

    Handle first = f.open(f.admin, "\\Device\\UnlCount");
    assertThat(f.deviceState("\\Device\\UnlCount").referenceCount()).isEqualTo(1);
    OpenResult duplicate = f.kernel.services().ntDuplicateObject(f.admin, process, first, process, 0, 0,
        ObjectManager.DUPLICATE_SAME_ACCESS);
    assertThat(duplicate.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(f.deviceState("\\Device\\UnlCount").referenceCount()).as("one file object, two handles").isEqualTo(1);
    Handle second = f.open(f.admin, "\\Device\\UnlCount");
    assertThat(f.deviceState("\\Device\\UnlCount").referenceCount()).isEqualTo(2);
    assertThat(f.observedString("UnlCount", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1 CREATE#2");

    f.close(first);
    assertThat(f.deviceState("\\Device\\UnlCount").referenceCount()).isEqualTo(2);
    assertThat(f.observedString("UnlCount", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1 CREATE#2");

    f.close(duplicate.handle());
    assertThat(f.deviceState("\\Device\\UnlCount").referenceCount()).isEqualTo(1);
    assertThat(f.observedString("UnlCount", ScriptedNames.IRP_LOG))
        .isEqualTo("CREATE#1 CREATE#2 CLEANUP#1 CLOSE#1");

    f.close(second);
    assertThat(f.deviceState("\\Device\\UnlCount").referenceCount()).isZero();
    assertThat(f.observedString("UnlCount", ScriptedNames.IRP_LOG))
        .isEqualTo("CREATE#1 CREATE#2 CLEANUP#1 CLOSE#1 CLEANUP#2 CLOSE#2");
    assertThat(f.unload("UnlCount")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observed("UnlCount", ScriptedNames.UNLOADS)).isEqualTo(1);
  }

  @Test
  void B24_B39_theCountComesBackWhenTheFileObjectIsDeletedNotWhenItsLastHandleCloses() {
    f.installScripted("UnlHeld", device("\\Device\\UnlHeld"), RegValue.dword(ScriptedNames.LOG_IRPS, 1));
    assertThat(f.load("UnlHeld")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlHeld");
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_HOLD_FILE)).isEqualTo(STATUS_SUCCESS);
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_ARM, ScriptedNames.ARM_RELEASE_FILE))
        .isEqualTo(STATUS_SUCCESS);
    assertThat(f.unload("UnlHeld")).isEqualTo(STATUS_SUCCESS);

    f.close(handle);

    // The last handle is gone: cleanup went down. The driver still holds the file object.
    assertThat(f.observedString("UnlHeld", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1 CLEANUP#1");
    assertThat(f.deviceState("\\Device\\UnlHeld").referenceCount()).isEqualTo(1);
    assertDeferred("UnlHeld", "\\Driver\\UnlHeld", 0);

    f.setParameter("UnlHeld", RegValue.dword(ScriptedNames.ARM_GO, 1));

    f.awaitUnloaded("UnlHeld", "\\Driver\\UnlHeld", 1);
    assertThat(f.observed("UnlHeld", ScriptedNames.ARM_DONE)).isEqualTo(ScriptedNames.ARM_RELEASE_FILE);
    assertThat(f.observedString("UnlHeld", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1 CLEANUP#1 CLOSE#1 UNLOAD");
    f.assertReloadsAndUnloadsAgain("UnlHeld", "\\Driver\\UnlHeld", 1);
  }

  // B20: every trigger -----------------------------------------------------------------------------

  @Test
  void B20_B39_theLastCloseOfADuplicatedHandleCompletesTheUnload() {
    f.installScripted("UnlDup", device("\\Device\\UnlDup"), RegValue.dword(ScriptedNames.LOG_IRPS, 1));
    assertThat(f.load("UnlDup")).isEqualTo(STATUS_SUCCESS);
    KProcess process = f.admin.process();
    Handle handle = f.open(f.admin, "\\Device\\UnlDup");
    OpenResult duplicate = f.kernel.services().ntDuplicateObject(f.admin, process, handle, process, 0, 0,
        ObjectManager.DUPLICATE_SAME_ACCESS);
    assertThat(duplicate.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(f.unload("UnlDup")).isEqualTo(STATUS_SUCCESS);

    f.close(handle);

    assertDeferred("UnlDup", "\\Driver\\UnlDup", 0);
    assertThat(f.observedString("UnlDup", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1");

    f.close(duplicate.handle());

    f.awaitUnloaded("UnlDup", "\\Driver\\UnlDup", 1);
    // T49: IRP_MJ_CLOSE reaches the driver, then DriverUnload runs.
    assertThat(f.observedString("UnlDup", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1 CLEANUP#1 CLOSE#1 UNLOAD");
    assertThat(f.observed("UnlDup", ScriptedNames.UNLOAD_OPEN_COUNT)).isZero();
    f.assertReloadsAndUnloadsAgain("UnlDup", "\\Driver\\UnlDup", 1);
  }

  @Test
  void B20_theUnloadWaitsForTheLastOpenOfEveryDevice() {
    f.installScripted("UnlTwo", device("\\Device\\UnlTwo"),
        RegValue.string(ScriptedNames.SECOND_DEVICE, "\\Device\\UnlTwo2"));
    assertThat(f.load("UnlTwo")).isEqualTo(STATUS_SUCCESS);
    Handle first = f.open(f.admin, "\\Device\\UnlTwo");
    Handle second = f.open(f.admin, "\\Device\\UnlTwo2");
    assertThat(f.unload("UnlTwo")).isEqualTo(STATUS_SUCCESS);

    f.close(first);

    assertThat(f.deviceState("\\Device\\UnlTwo").referenceCount()).isZero();
    assertDeferred("UnlTwo", "\\Driver\\UnlTwo", 0);

    f.close(second);

    f.awaitUnloaded("UnlTwo", "\\Driver\\UnlTwo", 1);
    f.assertReloadsAndUnloadsAgain("UnlTwo", "\\Driver\\UnlTwo", 1);
  }

  @Test
  void B20_B24_anOpenTheDriverFailsGivesItsCountBackAndThatCompletesTheUnload() {
    f.installScripted("UnlFailOpen", device("\\Device\\UnlFailOpen"),
        RegValue.dword(ScriptedNames.UNLOAD_IN_CREATE, 1), RegValue.dword(ScriptedNames.LOG_IRPS, 1));
    assertThat(f.load("UnlFailOpen")).isEqualTo(STATUS_SUCCESS);

    // The create asks for the unload while this very open is counted, then fails the open.
    assertThat(f.tryOpen(f.admin, "\\Device\\UnlFailOpen").status()).isEqualTo(NtStatus.STATUS_ACCESS_DENIED);

    assertThat(f.observed("UnlFailOpen", ScriptedNames.CREATE_UNLOAD_STATUS)).isEqualTo(STATUS_SUCCESS.code());
    f.awaitUnloaded("UnlFailOpen", "\\Driver\\UnlFailOpen", 1);
    // A failed create gets neither cleanup nor close (B37).
    assertThat(f.observedString("UnlFailOpen", ScriptedNames.IRP_LOG)).isEqualTo("UNLOAD");
    assertThat(f.observed("UnlFailOpen", ScriptedNames.UNLOAD_ALL_MARKED)).isEqualTo(1);
    f.assertReloadsAndUnloadsAgain("UnlFailOpen", "\\Driver\\UnlFailOpen", 1);
  }

  @Test
  void B20_B24_aDuplicateInAnotherProcessKeepsTheUnloadWaitingUntilThatProcessRunsDown() {
    f.installScripted("UnlTwoProcs", device("\\Device\\UnlTwoProcs"));
    assertThat(f.load("UnlTwoProcs")).isEqualTo(STATUS_SUCCESS);
    KThread opener = f.kernel.userSession("opener", Sid.unixUser(2001));
    KThread holder = f.kernel.userSession("holder", Sid.unixUser(2002));
    Handle handle = f.open(opener, "\\Device\\UnlTwoProcs");
    OpenResult duplicate = f.kernel.services().ntDuplicateObject(opener, opener.process(), handle,
        holder.process(), 0, 0, ObjectManager.DUPLICATE_SAME_ACCESS);
    assertThat(duplicate.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(f.unload("UnlTwoProcs")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.kernel.services().ntTerminateProcess(opener, opener.process(), STATUS_SUCCESS))
        .isEqualTo(STATUS_SUCCESS);

    assertDeferred("UnlTwoProcs", "\\Driver\\UnlTwoProcs", 0);
    assertThat(f.deviceState("\\Device\\UnlTwoProcs").referenceCount()).isEqualTo(1);
    assertThat(f.generation(holder, duplicate.handle())).isEqualTo(1);

    assertThat(f.kernel.services().ntTerminateProcess(holder, holder.process(), STATUS_SUCCESS))
        .isEqualTo(STATUS_SUCCESS);

    f.awaitUnloaded("UnlTwoProcs", "\\Driver\\UnlTwoProcs", 1);
    f.assertReloadsAndUnloadsAgain("UnlTwoProcs", "\\Driver\\UnlTwoProcs", 1);
  }

  @Test
  void B20_processRundownOfTheOnlyHolderCompletesTheUnload() {
    f.installScripted("UnlRundown", device("\\Device\\UnlRundown"));
    assertThat(f.load("UnlRundown")).isEqualTo(STATUS_SUCCESS);
    KThread client = f.kernel.userSession("client", Sid.unixUser(2000));
    f.open(client, "\\Device\\UnlRundown");
    assertThat(f.unload("UnlRundown")).isEqualTo(STATUS_SUCCESS);
    assertDeferred("UnlRundown", "\\Driver\\UnlRundown", 0);

    assertThat(f.kernel.services().ntTerminateProcess(client, client.process(), STATUS_SUCCESS))
        .isEqualTo(STATUS_SUCCESS);

    assertThat(client.process().state()).isEqualTo(KProcess.State.TERMINATED);
    f.awaitUnloaded("UnlRundown", "\\Driver\\UnlRundown", 1);
    f.assertReloadsAndUnloadsAgain("UnlRundown", "\\Driver\\UnlRundown", 1);
  }

  @Test
  void B20_T13_T14_T17_theUpperDriversDetachCompletesTheLowerDriversUnload() {
    f.installScripted("UnlHelper", device("\\Device\\UnlHelper"), RegValue.dword(ScriptedNames.EXCLUSIVE, 1),
        RegValue.dword(ScriptedNames.NO_OPEN_CHECK, 1), RegValue.dword(ScriptedNames.LOG_IRPS, 1));
    f.installScripted("UnlMain", device("\\Device\\UnlMain"),
        RegValue.string(ScriptedNames.ATTACH_TO, "\\Device\\UnlHelper"), RegValue.dword(ScriptedNames.LOG_IRPS, 1));
    assertThat(f.load("UnlHelper")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.load("UnlMain")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.deviceState("\\Device\\UnlHelper").attachedDevice()).isEqualTo("\\Device\\UnlMain");
    assertThat(f.deviceState("\\Device\\UnlHelper").referenceCount()).isZero();
    // IoAttachDevice's open (IopGetDeviceObjectPointer): created and cleaned up on the helper
    // before the attach, closed when its file object went — at the new top of the stack (B39).
    assertThat(f.observedString("UnlHelper", ScriptedNames.IRP_LOG)).isEqualTo("CREATE#1 CLEANUP#1");
    assertThat(f.observedString("UnlMain", ScriptedNames.IRP_LOG)).isEqualTo("CLOSE#foreign");

    // T13: the helper's unload waits for the device on top.
    assertThat(f.unload("UnlHelper")).isEqualTo(STATUS_SUCCESS);
    assertDeferred("UnlHelper", "\\Driver\\UnlHelper", 0);
    assertThat(f.deviceResolves("\\Device\\UnlHelper")).isTrue();
    assertThat(marked("\\Device\\UnlHelper")).isTrue();
    Handle handle = f.open(f.admin, "\\Device\\UnlMain");
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_QUERY_LOWER)).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observedString("UnlMain", ScriptedNames.LOWER_NAME)).isEqualTo("\\Device\\UnlHelper");
    f.close(handle);

    // T14: the main driver's unload proceeds, although its device is attached to something.
    assertThat(f.unload("UnlMain")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOAD_MAIN_EXTENSION_FLAGS) & 0x7FFFFFFF)
        .isEqualTo(DeviceFlags.DOE_UNLOAD_PENDING);
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOAD_MAIN_FLAGS)).isEqualTo(DeviceFlags.DO_DEVICE_HAS_NAME);
    assertThat(f.observedString("UnlMain", ScriptedNames.UNLOAD_MAIN_ATTACHED_TO)).isEqualTo("\\Device\\UnlHelper");
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOAD_MAIN_REFERENCES)).isZero();
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOAD_LOWER_EXTENSION_FLAGS) & 0x7FFFFFFF)
        .isEqualTo(DeviceFlags.DOE_UNLOAD_PENDING);
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOAD_LOWER_FLAGS))
        .isEqualTo(DeviceFlags.DO_DEVICE_HAS_NAME | DeviceFlags.DO_EXCLUSIVE);
    assertThat(f.observedString("UnlMain", ScriptedNames.UNLOAD_LOWER_ATTACHED_DEVICE))
        .isEqualTo("\\Device\\UnlMain");
    assertThat(f.observed("UnlMain", ScriptedNames.UNLOAD_LOWER_REFERENCES)).isZero();

    // T17: the main driver's DriverUnload detached and deleted its device: the helper unloads.
    f.awaitUnloaded("UnlHelper", "\\Driver\\UnlHelper", 1);
    assertThat(f.observed("UnlHelper", ScriptedNames.UNLOAD_FLAGS) & DriverFlags.DRVO_UNLOAD_INVOKED)
        .isEqualTo(DriverFlags.DRVO_UNLOAD_INVOKED);
    assertThat(f.deviceResolves("\\Device\\UnlHelper")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlMain")).isFalse();
    UnloadFixture.await("UnlMain.jar to be unmapped", () -> !f.imageLoaded("UnlMain.jar"));
    f.assertNoViolations("UnlMain");
    f.assertReloadsAndUnloadsAgain("UnlHelper", "\\Driver\\UnlHelper", 1);
  }

  @Test
  void B20_T37_aDriverWhoseOwnUpperDeviceIsAttachedWaitsForTheDetach() {
    f.installScripted("UnlOwn", device("\\Device\\UnlOwn"),
        RegValue.string(ScriptedNames.UPPER_DEVICE, "\\Device\\UnlOwnUpper"),
        RegValue.string(ScriptedNames.SYMBOLIC_LINK, "\\??\\UnlOwn"));
    assertThat(f.load("UnlOwn")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlOwn");
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_ARM, ScriptedNames.ARM_DETACH_UPPER))
        .isEqualTo(STATUS_SUCCESS);
    f.close(handle);
    // T36's setup: two stacked devices of one driver, a link, nothing open.
    assertThat(f.deviceState("\\Device\\UnlOwn").referenceCount()).isZero();
    assertThat(f.deviceState("\\Device\\UnlOwn").attachedDevice()).isEqualTo("\\Device\\UnlOwnUpper");

    assertThat(f.unload("UnlOwn")).isEqualTo(STATUS_SUCCESS);

    assertDeferred("UnlOwn", "\\Driver\\UnlOwn", 0);
    assertThat(marked("\\Device\\UnlOwn")).isTrue();
    assertThat(marked("\\Device\\UnlOwnUpper")).isTrue();
    assertThat(f.linkResolves("\\??\\UnlOwn")).isTrue();

    f.setParameter("UnlOwn", RegValue.dword(ScriptedNames.ARM_GO, 1));

    f.awaitUnloaded("UnlOwn", "\\Driver\\UnlOwn", 1);
    assertThat(f.observed("UnlOwn", ScriptedNames.ARM_DONE)).isEqualTo(ScriptedNames.ARM_DETACH_UPPER);
    assertThat(f.observed("UnlOwn", ScriptedNames.UNLOAD_DEVICE_COUNT)).isEqualTo(2);
    assertThat(f.linkResolves("\\??\\UnlOwn")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlOwn")).isFalse();
    assertThat(f.deviceResolves("\\Device\\UnlOwnUpper")).isFalse();
    assertStackedDriverReloadsAndUnloadsAfterADetach("UnlOwn", "\\Device\\UnlOwn", "\\Driver\\UnlOwn");
  }

  /** A stacked scripted driver reloads, detaches its own upper device, and unloads at once (T36). */
  private void assertStackedDriverReloadsAndUnloadsAfterADetach(String service, String deviceName, String driverName) {
    assertThat(f.observed(service, ScriptedNames.UNLOADS)).isEqualTo(1);
    assertThat(f.load(service)).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, deviceName);
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_DETACH_UPPER)).isEqualTo(STATUS_SUCCESS);
    f.close(handle);
    assertThat(f.unload(service)).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observed(service, ScriptedNames.UNLOADS)).isEqualTo(2);
    assertThat(f.driverResolves(driverName)).isFalse();
    UnloadFixture.await(service + ".jar to be unmapped", () -> !f.imageLoaded(service + ".jar"));
    f.assertNoViolations(service);
  }

  @Test
  void B43_B20_unregisteringTheFileSystemCompletesTheUnload() {
    f.installScripted("UnlFs", 2, null, false, device("\\Device\\UnlFsControl"),
        RegValue.dword(ScriptedNames.REGISTER_FILE_SYSTEM, 1));
    assertThat(f.load("UnlFs")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.deviceState("\\Device\\UnlFsControl").referenceCount()).as("the registration counts").isEqualTo(1);
    assertThat(f.deviceState("\\Device\\UnlFsControl").flags() & DeviceFlags.DO_DEVICE_INITIALIZING).isZero();
    Handle handle = f.open(f.admin, "\\Device\\UnlFsControl");
    assertThat(f.deviceState("\\Device\\UnlFsControl").referenceCount()).isEqualTo(2);
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_ARM, ScriptedNames.ARM_UNREGISTER_FILE_SYSTEM))
        .isEqualTo(STATUS_SUCCESS);
    f.close(handle);
    assertThat(f.deviceState("\\Device\\UnlFsControl").referenceCount()).isEqualTo(1);

    assertThat(f.unload("UnlFs")).isEqualTo(STATUS_SUCCESS);

    assertDeferred("UnlFs", "\\FileSystem\\UnlFs", 0);
    assertThat(marked("\\Device\\UnlFsControl")).isTrue();

    f.setParameter("UnlFs", RegValue.dword(ScriptedNames.ARM_GO, 1));

    f.awaitUnloaded("UnlFs", "\\FileSystem\\UnlFs", 1);
    assertThat(f.observed("UnlFs", ScriptedNames.ARM_DONE)).isEqualTo(ScriptedNames.ARM_UNREGISTER_FILE_SYSTEM);
    assertThat(f.deviceResolves("\\Device\\UnlFsControl")).isFalse();
    assertThat(f.load("UnlFs")).isEqualTo(STATUS_SUCCESS);
    Handle again = f.open(f.admin, "\\Device\\UnlFsControl");
    assertThat(f.control(f.admin, again, ScriptedNames.IOCTL_UNREGISTER_FILE_SYSTEM)).isEqualTo(STATUS_SUCCESS);
    f.close(again);
    assertThat(f.unload("UnlFs")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observed("UnlFs", ScriptedNames.UNLOADS)).isEqualTo(2);
    assertThat(f.driverResolves("\\FileSystem\\UnlFs")).isFalse();
    f.assertNoViolations("UnlFs");
  }

  @Test
  void B24_B43_anUnregisterThroughAnOpenHandleLeavesTheUnloadWaitingForTheClose() {
    f.installScripted("UnlFsOpen", 2, null, false, device("\\Device\\UnlFsOpen"),
        RegValue.dword(ScriptedNames.REGISTER_FILE_SYSTEM, 1));
    assertThat(f.load("UnlFsOpen")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlFsOpen");
    assertThat(f.unload("UnlFsOpen")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_UNREGISTER_FILE_SYSTEM)).isEqualTo(STATUS_SUCCESS);

    assertThat(f.deviceState("\\Device\\UnlFsOpen").referenceCount()).isEqualTo(1);
    assertDeferred("UnlFsOpen", "\\FileSystem\\UnlFsOpen", 0);

    f.close(handle);

    f.awaitUnloaded("UnlFsOpen", "\\FileSystem\\UnlFsOpen", 1);
    f.assertNoViolations("UnlFsOpen");
  }

  @Test
  void B20_B38_theFinalDeleteOfADeviceItsDispatchRoutineDeletedCompletesTheUnload() {
    f.installScripted("UnlDelete", device("\\Device\\UnlDelete"));
    assertThat(f.load("UnlDelete")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlDelete");
    assertThat(f.unload("UnlDelete")).isEqualTo(STATUS_SUCCESS);

    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_DELETE_DEVICE)).isEqualTo(STATUS_SUCCESS);

    // The name went with IoDeleteDevice; the device stays linked while it is open.
    assertThat(f.tryOpen(f.admin, "\\Device\\UnlDelete").status()).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertDeferred("UnlDelete", "\\Driver\\UnlDelete", 0);
    assertThat(f.driverState("\\Driver\\UnlDelete").devices()).isEqualTo(1);
    assertThat(f.generation(f.admin, handle)).isEqualTo(1);

    f.close(handle);

    f.awaitUnloaded("UnlDelete", "\\Driver\\UnlDelete", 1);
    assertThat(f.observed("UnlDelete", ScriptedNames.UNLOAD_DEVICE_COUNT))
        .as("the device's final delete came before DriverUnload").isZero();
    f.assertReloadsAndUnloadsAgain("UnlDelete", "\\Driver\\UnlDelete", 1);
  }

  @Test
  void B20_B32_theFinalDeleteOfADeviceAWorkItemDeletedAndDetachedCompletesTheUnload() {
    f.installScripted("UnlWork", device("\\Device\\UnlWork"),
        RegValue.string(ScriptedNames.UPPER_DEVICE, "\\Device\\UnlWorkUpper"));
    assertThat(f.load("UnlWork")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlWork");
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_ARM, ScriptedNames.ARM_DELETE_THEN_DETACH))
        .isEqualTo(STATUS_SUCCESS);
    f.close(handle);

    assertThat(f.unload("UnlWork")).isEqualTo(STATUS_SUCCESS);
    assertDeferred("UnlWork", "\\Driver\\UnlWork", 0);

    f.setParameter("UnlWork", RegValue.dword(ScriptedNames.ARM_GO, 1));

    f.awaitUnloaded("UnlWork", "\\Driver\\UnlWork", 1);
    assertThat(f.observed("UnlWork", ScriptedNames.ARM_DONE)).isEqualTo(ScriptedNames.ARM_DELETE_THEN_DETACH);
    assertThat(f.observed("UnlWork", ScriptedNames.UNLOAD_DEVICE_COUNT))
        .as("only the upper device was left for DriverUnload").isEqualTo(1);
    assertThat(f.deviceResolves("\\Device\\UnlWorkUpper")).isFalse();
    assertStackedDriverReloadsAndUnloadsAfterADetach("UnlWork", "\\Device\\UnlWork", "\\Driver\\UnlWork");
  }

  // B21: repeat calls --------------------------------------------------------------------------------

  @Test
  void B21_aSecondUnloadWhileDeferredMarksAgainAndSucceeds() {
    f.installScripted("UnlAgain", device("\\Device\\UnlAgain"),
        RegValue.string(ScriptedNames.EXTRA_DEVICE, "\\Device\\UnlAgainExtra"));
    assertThat(f.load("UnlAgain")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlAgain");
    assertThat(f.unload("UnlAgain")).isEqualTo(STATUS_SUCCESS);
    assertThat(f.control(f.admin, handle, ScriptedNames.IOCTL_CREATE_DEVICE)).isEqualTo(STATUS_SUCCESS);
    assertThat(f.observed("UnlAgain", ScriptedNames.EXTRA_DEVICE_STATUS)).isEqualTo(STATUS_SUCCESS.code());
    assertThat(marked("\\Device\\UnlAgainExtra")).as("created after the first unload").isFalse();

    assertThat(f.unload("UnlAgain")).isEqualTo(STATUS_SUCCESS);

    assertThat(marked("\\Device\\UnlAgainExtra")).as("marked by the second unload").isTrue();
    assertDeferred("UnlAgain", "\\Driver\\UnlAgain", 0);
    assertThat(f.load("UnlAgain")).isEqualTo(STATUS_IMAGE_ALREADY_LOADED);
    assertThat(f.observed("UnlAgain", ScriptedNames.LOADS)).isEqualTo(1);

    f.close(handle);

    f.awaitUnloaded("UnlAgain", "\\Driver\\UnlAgain", 1);
    assertThat(f.observed("UnlAgain", ScriptedNames.UNLOAD_DEVICE_COUNT)).isEqualTo(2);
    assertThat(f.unload("UnlAgain")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    f.assertReloadsAndUnloadsAgain("UnlAgain", "\\Driver\\UnlAgain", 1);
  }

  // B16 in the deferred window ----------------------------------------------------------------------

  /*
   * Why a driver's ZwUnloadDriver and not a second client thread: NtUnloadDriver runs under the
   * load lock (IopDriverLoadResource), and so does the deferred DriverUnload with everything up to
   * the removal of the name. A second client's NtUnloadDriver therefore waits for the lock, and
   * which waiter gets it first is not determined: it sees STATUS_DELETE_PENDING or, after the
   * unload, STATUS_OBJECT_NAME_NOT_FOUND. The window is made deterministic by a gated DriverEntry
   * that holds the load lock while a close (on a thread of its own: the last close waits for the
   * unload it triggers) sets DRVO_UNLOAD_INVOKED; its own ZwUnloadDriver runs
   * inline (it already is in the System process, holding the reentrant lock) and must see
   * DELETE_PENDING, because the deferred DriverUnload cannot have run yet.
   */
  @Test
  void B16_whileADeferredUnloadWaitsToRunAnUnloadOfTheSameDriverIsDeletePending() throws Exception {
    f.installScripted("UnlTarget", device("\\Device\\UnlTarget"));
    f.installScripted("UnlProber", RegValue.dword(ScriptedNames.ENTRY_GATE, 1),
        RegValue.string(ScriptedNames.ENTRY_UNLOAD_TARGET, UnloadFixture.SERVICES + "UnlTarget"));
    assertThat(f.load("UnlTarget")).isEqualTo(STATUS_SUCCESS);
    Handle handle = f.open(f.admin, "\\Device\\UnlTarget");
    assertThat(f.unload("UnlTarget")).isEqualTo(STATUS_SUCCESS);
    ExecutorService loader = Executors.newSingleThreadExecutor();
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try {
      Future<NtStatus> proberLoad = loader.submit(() -> f.load("UnlProber"));
      UnloadFixture.await("the prober's DriverEntry to hold the load lock",
          () -> f.observed("UnlProber", ScriptedNames.ENTRY_STARTED) == 1);

      // The last close waits for the unload it triggers, which waits for the load lock.
      Future<?> lastClose = closer.submit(() -> f.close(handle));

      UnloadFixture.await("the last close to invoke the unload",
          () -> (driverFlags("\\Driver\\UnlTarget") & DriverFlags.DRVO_UNLOAD_INVOKED) != 0);
      assertThat(driverFlags("\\Driver\\UnlTarget") & DriverFlags.DRVO_UNLOAD_INVOKED)
          .as("the last close invoked the unload").isEqualTo(DriverFlags.DRVO_UNLOAD_INVOKED);
      assertThat(f.observed("UnlTarget", ScriptedNames.UNLOADS)).isZero();
      assertThat(lastClose).as("the last close waits for the unload it invoked").isNotDone();
      f.setParameter("UnlProber", RegValue.dword(ScriptedNames.ENTRY_GO, 1));
      assertThat(proberLoad.get(30, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
      lastClose.get(30, TimeUnit.SECONDS);
    } finally {
      loader.shutdownNow();
      closer.shutdownNow();
    }

    assertThat(f.observed("UnlProber", ScriptedNames.ENTRY_UNLOAD_STATUS))
        .isEqualTo(NtStatus.STATUS_DELETE_PENDING.code());
    f.awaitUnloaded("UnlTarget", "\\Driver\\UnlTarget", 1);
    assertThat(f.unload("UnlTarget")).isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
    assertThat(f.unload("UnlProber")).isEqualTo(STATUS_SUCCESS);
    f.assertNoViolations("UnlTarget");
  }
}
