package ntio.conformance.wine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import ntio.api.DriverInfo;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.conformance.ConformanceHost;
import ntio.conformance.Kernel32;
import ntio.conformance.KernelResults;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.testing.DriverJars;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Port of Wine's {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c} (wine-mirror/wine), the "driver"
 * subtest of START_TEST(ntoskrnl): one real host, the kernel half {@link WineTestDriver} (driver.c)
 * loaded as a demand-start service, and one JUnit test per upstream test function, in upstream's
 * order (test_return_status, whose rows are independent, is {@link ReturnStatusTest}) — later
 * functions depend on earlier ones (the create and close counts of
 * test_file_handles count every open made before it), as upstream's do. Expected values are
 * Windows' (upstream's {@code ok()} without {@code todo_wine}); where ntio lacks the NT concept a
 * check observes, the observable expectation is ported and the difference said in the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class NtoskrnlTest {

  private ConformanceHost host;
  private NtApi nt;
  /** START_TEST's {@code device}: {@code \\.\WineTestDriver}, access 0, no sharing. */
  private Handle device = Handle.NULL;

  @BeforeAll
  void startHost() {
    host = ConformanceHost.start();
    nt = host.admin();
  }

  @AfterAll
  void stopHost() {
    host.close();
  }

  /** The kernel half's image: driver.c's port and what it runs. */
  static DriverJars.Builder kernelHalf() {
    return DriverJars.image(WineIoctls.SERVICE + ".jar").entry(WineTestDriver.class)
        .add(WineIoctls.class, WineKernelTests.class, WineKernelDevices.class, WineKernelRequests.class,
            WineFileInformation.class, WineVolumeInformation.class);
  }

  /** {@code CreateFileA(name, access, 0, NULL, OPEN_EXISTING, ...)}. */
  private OpenResult open(int access, String name) {
    return Kernel32.createFile(nt, access, name, 0);
  }

  private static int dword(IoResult result) {
    return result.data().length < 4 ? 0xdeadbeef
        : ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  private IoResult ioctl(Handle file, int code, int outputLength) {
    return nt.deviceIoControlFile(file, code, new byte[0], outputLength);
  }

  private boolean loaded(String service) {
    return nt.queryDrivers().rows().stream().map(DriverInfo::service).anyMatch(service::equalsIgnoreCase);
  }

  /**
   * ntoskrnl.c, load_driver + start_driver and the open in START_TEST; driver.c, DriverEntry
   * (its checks: the driver object by name, both devices and the link).
   */
  @Test
  @Order(1)
  void driverLoadsStartsAndItsDeviceOpens() {
    host.installDriver(WineIoctls.SERVICE, kernelHalf());
    // load_driver(service2) installs driver2 without starting it.
    host.installDriver(WineIoctls.SERVICE2, WineTestDriver2.class);

    assertThat(host.loadDriver(WineIoctls.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(loaded(WineIoctls.SERVICE)).as("SERVICE_RUNNING").isTrue();
    OpenResult opened = open(0, WineIoctls.WIN32_NAME);
    assertThat(opened.status()).as("failed to open device").isEqualTo(NtStatus.STATUS_SUCCESS);
    device = opened.handle();
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_DRIVER_ENTRY);
  }

  /** ntoskrnl.c, test_basic_ioctl; driver.c, test_basic_ioctl. */
  @Test
  @Order(2)
  void testBasicIoctl() {
    IoResult whole = ioctl(device, WineIoctls.BASIC_IOCTL, 32);
    assertThat(whole.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(whole.information()).as("written").isEqualTo(WineIoctls.TESTSTR.length);
    assertThat(Arrays.copyOf(whole.data(), WineIoctls.TESTSTR.length)).isEqualTo(WineIoctls.TESTSTR);

    IoResult cut = nt.deviceIoControlFile(device, WineIoctls.BASIC_IOCTL, new byte[64], 10);
    assertThat(cut.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(cut.information()).as("written").isEqualTo(10);
    assertThat(new String(cut.data(), 0, Math.min(cut.data().length, 10), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("Wine is no");
  }

  /**
   * ntoskrnl.c, main_test: the kernel tests run from one device control, which the driver pends
   * and completes from its work item with Information 0.
   */
  @Test
  @Order(3)
  void mainTest() {
    IoResult result = nt.deviceIoControlFile(device, WineIoctls.MAIN_TEST, new byte[16], 0);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(result.information()).as("size").isZero();
  }

  /** driver.c, test_irp_struct (run by main_test). */
  @Test
  @Order(4)
  void testIrpStruct() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_IRP_STRUCT);
  }

  /** driver.c, test_load_driver (run by main_test): ZwLoadDriver / ZwUnloadDriver of driver2. */
  @Test
  @Order(5)
  void testLoadDriverFromKernelMode() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_LOAD_DRIVER);
  }

  /** driver.c, test_IoAttachDeviceToDeviceStack (run by main_test). */
  @Test
  @Order(6)
  void testIoAttachDeviceToDeviceStack() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_ATTACH);
  }

  /** driver.c, test_object_name (run by main_test). */
  @Test
  @Order(7)
  void testObjectName() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_OBJECT_NAME);
  }

  /** driver.c, test_driver_object_extension (run by main_test). */
  @Test
  @Order(8)
  void testDriverObjectExtension() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_DRIVER_EXTENSION);
  }

  /** driver.c, test_call_driver (run by main_test_task on a System worker). */
  @Test
  @Order(9)
  void testCallDriver() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_CALL_DRIVER);
  }

  /** driver.c, test_cancel_irp (run by main_test_task). */
  @Test
  @Order(10)
  void testCancelIrp() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_CANCEL_IRP);
  }

  /** driver.c, test_completion (run by main_test_task). */
  @Test
  @Order(11)
  void testCompletion() {
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_COMPLETION);
  }

  /**
   * ntoskrnl.c, test_overlapped: pending requests cancelled all at once (CancelIo) and one by one
   * (CancelIoEx), counted by the driver's cancel routine. The completion port checks are not
   * ported (ntio has no completion ports); a synchronous success's completion is.
   */
  @Test
  @Order(20)
  void testOverlapped() throws Exception {
    SoftAssertions softly = new SoftAssertions();
    // test_overlapped opens with FILE_FLAG_OVERLAPPED: on a handle for synchronous I/O the pended
    // TEST_CANCEL calls would wait, as NT's do.
    OpenResult file = Kernel32.createFile(nt, AccessMask.FILE_READ_ATTRIBUTES | AccessMask.FILE_WRITE_ATTRIBUTES,
        WineIoctls.WIN32_NAME, 0, Kernel32.FILE_FLAG_OVERLAPPED);
    assertThat(file.status()).as("failed to open device").isEqualTo(NtStatus.STATUS_SUCCESS);
    Handle f = file.handle();

    PendingIo reset = nt.deviceIoControlFileAsync(f, WineIoctls.RESET_CANCEL, new byte[0], 0);
    softly.assertThat(reset.completion().get(5, TimeUnit.SECONDS).status()).as("RESET_CANCEL").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(reset.status()).as("RESET_CANCEL completes at once").isEqualTo(NtStatus.STATUS_SUCCESS);
    PendingIo first = nt.deviceIoControlFileAsync(f, WineIoctls.TEST_CANCEL, new byte[0], 0);
    PendingIo second = nt.deviceIoControlFileAsync(f, WineIoctls.TEST_CANCEL, new byte[0], 0);
    softly.assertThat(cancelCount(f)).as("cancel_cnt before CancelIo").isEqualTo(0);
    softly.assertThat(first.status()).as("ERROR_IO_PENDING").isEqualTo(NtStatus.STATUS_PENDING);
    softly.assertThat(second.status()).as("ERROR_IO_PENDING").isEqualTo(NtStatus.STATUS_PENDING);
    softly.assertThat(first.completion()).as("still pending").isNotDone();
    softly.assertThat(second.completion()).as("still pending").isNotDone();

    softly.assertThat(nt.cancelIoFile(f)).as("CancelIo").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(cancelCount(f)).as("cancel_cnt after CancelIo").isEqualTo(2);
    softly.assertThat(first.completion().get(5, TimeUnit.SECONDS).status()).isEqualTo(NtStatus.STATUS_CANCELLED);
    softly.assertThat(second.completion().get(5, TimeUnit.SECONDS).status()).isEqualTo(NtStatus.STATUS_CANCELLED);

    nt.deviceIoControlFileAsync(f, WineIoctls.RESET_CANCEL, new byte[0], 0).completion().get(5, TimeUnit.SECONDS);
    first = nt.deviceIoControlFileAsync(f, WineIoctls.TEST_CANCEL, new byte[0], 0);
    second = nt.deviceIoControlFileAsync(f, WineIoctls.TEST_CANCEL, new byte[0], 0);
    softly.assertThat(first.status()).as("ERROR_IO_PENDING").isEqualTo(NtStatus.STATUS_PENDING);
    softly.assertThat(second.status()).as("ERROR_IO_PENDING").isEqualTo(NtStatus.STATUS_PENDING);
    softly.assertThat(nt.cancelIoFileEx(f, first.id())).as("CancelIoEx(first)").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(cancelCount(f)).as("cancel_cnt after CancelIoEx(first)").isEqualTo(1);
    softly.assertThat(nt.cancelIoFileEx(f, second.id())).as("CancelIoEx(second)").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(cancelCount(f)).as("cancel_cnt after CancelIoEx(second)").isEqualTo(2);

    softly.assertThat(nt.close(f)).isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertAll();
  }

  private int cancelCount(Handle file) throws Exception {
    IoResult count = nt.deviceIoControlFileAsync(file, WineIoctls.GET_CANCEL_COUNT, new byte[0], 4)
        .completion().get(5, TimeUnit.SECONDS);
    assertThat(count.status()).as("GET_CANCEL_COUNT").isEqualTo(NtStatus.STATUS_SUCCESS);
    return dword(count);
  }

  /**
   * ntoskrnl.c, test_load_driver; driver.c, test_load_driver_ioctl: driver2 is stopped, the first
   * driver loads it from kernel mode, then unloads it. (Upstream asks the service manager; ntio's
   * loaded-driver list is the same fact.)
   */
  @Test
  @Order(21)
  void testLoadDriver() {
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(loaded(WineIoctls.SERVICE2)).as("SERVICE_STOPPED at first").isFalse();
    byte[] load = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(1).array();
    softly.assertThat(nt.deviceIoControlFile(device, WineIoctls.LOAD_DRIVER, load, 0).status())
        .as("load").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(loaded(WineIoctls.SERVICE2)).as("SERVICE_RUNNING").isTrue();
    byte[] unload = new byte[4];
    softly.assertThat(nt.deviceIoControlFile(device, WineIoctls.LOAD_DRIVER, unload, 0).status())
        .as("unload").isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(loaded(WineIoctls.SERVICE2)).as("SERVICE_STOPPED at last").isFalse();
    softly.assertAll();
  }

  /**
   * ntoskrnl.c, test_file_handles: each open is one IRP_MJ_CREATE with its own file object (and
   * FsContext); a duplicated handle is the same file object; IRP_MJ_CLOSE comes with the last
   * handle of a file object. The counts include the opens of the tests before (START_TEST's
   * device, test_overlapped's file), as upstream's do.
   */
  @Test
  @Order(22)
  void testFileHandles() {
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CREATE_COUNT, 4))).as("create count").isEqualTo(2);
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CLOSE_COUNT, 4))).as("close count").isEqualTo(1);

    OpenResult file = open(0, WineIoctls.WIN32_NAME);
    softly.assertThat(file.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CREATE_COUNT, 4))).as("create count").isEqualTo(3);
    OpenResult file2 = open(0, WineIoctls.WIN32_NAME);
    softly.assertThat(file2.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CREATE_COUNT, 4))).as("create count").isEqualTo(4);

    // DuplicateHandle(GetCurrentProcess(), file, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS)
    OpenResult duplicated = nt.duplicateObject(file.handle(), 0, 0, ObjectManager.DUPLICATE_SAME_ACCESS);
    softly.assertThat(duplicated.status()).as("DuplicateHandle").isEqualTo(NtStatus.STATUS_SUCCESS);
    Handle dup = duplicated.handle();
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CREATE_COUNT, 4))).as("create count").isEqualTo(4);

    softly.assertThat(dword(ioctl(device, WineIoctls.GET_FSCONTEXT, 4))).as("device's context").isEqualTo(1);
    softly.assertThat(dword(ioctl(file.handle(), WineIoctls.GET_FSCONTEXT, 4))).as("file's context").isEqualTo(3);
    softly.assertThat(dword(ioctl(file2.handle(), WineIoctls.GET_FSCONTEXT, 4))).as("file2's context").isEqualTo(4);
    if (!dup.equals(Handle.NULL)) {
      softly.assertThat(dword(ioctl(dup, WineIoctls.GET_FSCONTEXT, 4))).as("dup's context").isEqualTo(3);
    }

    if (!dup.equals(Handle.NULL)) {
      nt.close(dup);
    }
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CLOSE_COUNT, 4))).as("close count").isEqualTo(1);
    nt.close(file2.handle());
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CLOSE_COUNT, 4))).as("close count").isEqualTo(2);
    nt.close(file.handle());
    softly.assertThat(dword(ioctl(device, WineIoctls.GET_CLOSE_COUNT, 4))).as("close count").isEqualTo(3);
    softly.assertAll();
  }

  /** ntoskrnl.c, test_object_info, ported in {@link ObjectInfoPort} and {@link VolumeInformationPort}. */
  @Test
  @Order(24)
  void testObjectInfo() {
    ObjectInfoPort.run(nt, device);
    VolumeInformationPort.objectInfoVolumeChecks(nt, device);
  }

  /** ntoskrnl.c, test_blocking_irp, ported in {@link VolumeInformationPort#blockingIrp}. */
  @Test
  @Order(25)
  void testBlockingIrp() {
    VolumeInformationPort.blockingIrp(nt);
  }

  /**
   * START_TEST's end: IOCTL_WINETEST_DETACH, the device closed, driver2 and the driver unloaded
   * (driver.c, driver_Unload: its link and devices go, checked from DriverUnload itself).
   */
  @Test
  @Order(30)
  void detachThenUnload() {
    assertThat(ioctl(device, WineIoctls.DETACH, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(nt.close(device)).isEqualTo(NtStatus.STATUS_SUCCESS);
    device = Handle.NULL;
    assertThat(loaded(WineIoctls.SERVICE2)).as("driver2 stopped").isFalse();
    assertThat(host.unloadDriver(WineIoctls.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(loaded(WineIoctls.SERVICE)).as("SERVICE_STOPPED").isFalse();
    KernelResults.assertAllPassed(nt, WineIoctls.SUITE_UNLOAD);
  }

  /**
   * ntoskrnl.c, test_driver3; driver3.c: a DriverEntry failing with STATUS_NOT_IMPLEMENTED fails
   * the start with that status (upstream sees it as ERROR_INVALID_FUNCTION through the service
   * manager) and leaves nothing loaded.
   */
  @Test
  @Order(31)
  void testDriver3() {
    host.installDriver(WineIoctls.SERVICE3, WineTestDriver3.class);
    assertThat(host.loadDriver(WineIoctls.SERVICE3)).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(loaded(WineIoctls.SERVICE3)).isFalse();
  }
}
