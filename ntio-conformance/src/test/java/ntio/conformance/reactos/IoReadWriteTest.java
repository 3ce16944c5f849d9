package ntio.conformance.reactos;

import static ntio.conformance.reactos.IoReadWriteKeys.KEY_FAIL_VERIFY_REQUIRED;
import static ntio.conformance.reactos.IoReadWriteKeys.KEY_RETURN_PENDING;
import static ntio.conformance.reactos.IoReadWriteKeys.KEY_USE_FASTIO;
import static ntio.conformance.reactos.IoReadWriteKeys.TEST_FILE_SIZE;
import static ntio.conformance.reactos.IoReadWriteKeys.data;
import static ntio.conformance.reactos.IoReadWriteKeys.isError;
import static ntio.conformance.reactos.IoReadWriteKeys.returnStatus;
import static ntio.conformance.reactos.KernelChecks.bounded;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.conformance.ConformanceHost;
import ntio.conformance.KernelResults;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.host.wire.RemoteNt;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Port of reactos/reactos {@code modules/rostests/kmtests/ntos_io/IoReadWrite_user.c}
 * ({@code START_TEST(IoReadWrite)}, {@code TestRead}, {@code TestWrite}) on the non-cached file,
 * against {@link IoReadWriteDriver} ({@code IoReadWrite_drv.c}): what a synchronous NtReadFile and
 * NtWriteFile return, and which data comes back, for every status a driver may complete with,
 * completed at once or after returning STATUS_PENDING.
 *
 * <p>Upstream calls {@code TestRead} and {@code TestWrite} four times each on the non-cached file
 * (fast I/O allowed or not, pending or direct return); every such call loops over the 15 status
 * keys. Each call is a parameterized test here, one invocation per status key, in upstream's
 * order, so a failure names the call and the status. Fast I/O is allowed or not only through a
 * key bit the IRP handler ignores: NT tries fast I/O only on a cached file, so on this file both
 * run the IRP path, as here.
 *
 * <p>Within an invocation, of upstream's four requests:
 * <ul>
 *   <li>the NULL buffer of length 0 and the 32-byte buffer of length 0 are the same request here
 *       (a read of length 0; NtApi's read has no caller buffer), sent with upstream's two keys;
 *       a write of NULL and one of an empty array are distinct, as upstream's are;
 *   <li>the NULL buffer of length 32 (STATUS_ACCESS_VIOLATION before any driver sees it) is not
 *       ported: NtApi cannot express a NULL buffer with a length;
 *   <li>upstream fills the status block with {@code 0x55} and passes an event: whether NT wrote
 *       the block (and set the event) is the result's {@code ioStatusWritten}, the block's
 *       Status and Information are {@code ioStatus} and {@code information}. The event is not
 *       asserted apart: NtApi's synchronous calls take none, and upstream expects it signalled
 *       exactly when the block is written.
 * </ul>
 * The driver's own checks on each request (device and file object, written bytes) are asserted
 * with it.
 *
 * <p>Not ported: the cached file's half ({@code \Cached}, the same eight calls), which needs the
 * cache manager and fast I/O ntio does not have.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IoReadWriteTest {

  private static final String SERVICE = "Kmtest-IoReadWrite";
  private static final int FILE_NON_DIRECTORY_FILE = 0x00000040;
  private static final int FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;

  private static ConformanceHost host;
  private static RemoteNt client;
  private static NtStatus driverLoad;
  private static NtStatus driverOpen;
  private static Handle driverHandle;
  private static NtStatus fileOpen;
  private static Handle fileHandle;
  private static KernelCheckLog kernelChecks;

  @BeforeAll
  static void loadAndOpen() {
    host = ConformanceHost.start();
    host.installDriver(SERVICE, IoReadWriteDriver.class, KmtChecks.class, IoReadWriteKeys.class);
    client = host.connect("kmtest");
    kernelChecks = new KernelCheckLog(client, IoReadWriteDriver.SUITE);
    // KmtLoadAndOpenDriver(L"IoReadWrite", FALSE)
    driverLoad = bounded("load", () -> host.loadDriver(SERVICE));
    if (driverLoad.isSuccess()) {
      OpenResult opened = bounded("open the device", () -> client.createFile(
          AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
          ObjectAttributes.of("\\Device\\" + SERVICE), 0, 0));
      driverOpen = opened.status();
      driverHandle = opened.handle();
      OpenResult file = bounded("open NonCached", () -> client.openFile(
          AccessMask.FILE_ALL_ACCESS,
          ObjectAttributes.of("\\Device\\" + SERVICE + "\\NonCached",
              ObjectAttributes.OBJ_CASE_INSENSITIVE),
          0, FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT));
      fileOpen = file.status();
      fileHandle = file.handle();
    }
  }

  @AfterAll
  static void closeAndUnload() {
    try {
      if (fileHandle != null && fileOpen.isSuccess()) {
        client.close(fileHandle);
      }
      // KmtCloseDriver(), KmtUnloadDriver()
      if (driverHandle != null && driverOpen.isSuccess()) {
        client.close(driverHandle);
      }
      if (driverLoad != null && driverLoad.isSuccess()) {
        bounded("unload", () -> host.unloadDriver(SERVICE));
      }
    } finally {
      host.close();
    }
  }

  static Stream<Integer> statusKeys() {
    return IoReadWriteKeys.statusKeys().stream();
  }

  /** {@code KmtLoadAndOpenDriver(L"IoReadWrite", FALSE)} is ERROR_SUCCESS. */
  @Test
  @Order(0)
  void kmtestDriverLoadsAndItsDeviceOpens() {
    assertThat(driverLoad).as("load").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(driverOpen).as("open").isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /** NtOpenFile of {@code \Device\Kmtest-IoReadWrite\NonCached} succeeds. */
  @Test
  @Order(1)
  void nonCachedFileOpens() {
    assertThat(fileOpen).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(2)
  void nonCachedReadNoFastIoDirectReturn(int statusKey) {
    testRead(false, false, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(3)
  void nonCachedReadAllowFastIoDirectReturn(int statusKey) {
    testRead(true, false, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(4)
  void nonCachedReadNoFastIoPendingReturn(int statusKey) {
    testRead(false, true, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(5)
  void nonCachedReadAllowFastIoPendingReturn(int statusKey) {
    testRead(true, true, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(6)
  void nonCachedWriteNoFastIoDirectReturn(int statusKey) {
    testWrite(false, false, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(7)
  void nonCachedWriteAllowFastIoDirectReturn(int statusKey) {
    testWrite(true, false, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(8)
  void nonCachedWriteNoFastIoPendingReturn(int statusKey) {
    testWrite(false, true, statusKey);
  }

  @ParameterizedTest(name = "status key 0x{0}")
  @MethodSource("statusKeys")
  @Order(9)
  void nonCachedWriteAllowFastIoPendingReturn(int statusKey) {
    testWrite(true, true, statusKey);
  }

  private static int baseKey(boolean useFastIo, boolean returnPending) {
    return (useFastIo ? KEY_USE_FASTIO : 0) | (returnPending ? KEY_RETURN_PENDING : 0);
  }

  /** {@code TestRead(FileHandle, FALSE, UseFastIo, ReturnPending)}, one status key. */
  private static void testRead(boolean useFastIo, boolean returnPending, int statusKey) {
    assertThat(fileOpen).as("the non-cached file is open").isEqualTo(NtStatus.STATUS_SUCCESS);
    int baseKey = baseKey(useFastIo, returnPending);
    SoftAssertions softly = new SoftAssertions();

    // NULL buffer, length 0: the driver answers STATUS_BUFFER_OVERFLOW with 17 bytes; nothing is
    // copied back. Returned at once, the warning is the caller's status and the status block is
    // untouched; completed after STATUS_PENDING, the copy of 17 bytes faults.
    int key = baseKey | statusKey | data(0x11);
    IoResult result = read(key, 0);
    softly.assertThat(result.status()).as("0x11: status")
        .isEqualTo(returnPending ? NtStatus.STATUS_ACCESS_VIOLATION : NtStatus.STATUS_BUFFER_OVERFLOW);
    softly.assertThat(result.ioStatusWritten()).as("0x11: IoStatus written").isFalse();
    assertDriverSaw(softly, "IRP_MJ_READ", key);

    // A real buffer, length 0: as above, and the buffer is untouched.
    key = baseKey | statusKey | data(0x33);
    result = read(key, 0);
    softly.assertThat(result.status()).as("0x33: status")
        .isEqualTo(returnPending ? NtStatus.STATUS_ACCESS_VIOLATION : NtStatus.STATUS_BUFFER_OVERFLOW);
    softly.assertThat(result.ioStatusWritten()).as("0x33: IoStatus written").isFalse();
    softly.assertThat(result.data()).as("0x33: Buffer[0] untouched").isEmpty();
    assertDriverSaw(softly, "IRP_MJ_READ", key);

    // A 32-byte buffer: the driver fills the 17 bytes of the file and completes with the key's
    // status. The caller gets that status; the status block is written unless it is an error;
    // data comes back unless it is an error or STATUS_VERIFY_REQUIRED.
    key = baseKey | statusKey | data(0x44);
    result = read(key, 32);
    softly.assertThat(result.status()).as("0x44: status").isEqualTo(returnStatus(statusKey));
    softly.assertThat(result.ioStatusWritten()).as("0x44: IoStatus written")
        .isEqualTo(!isError(statusKey));
    if (!isError(statusKey)) {
      softly.assertThat(result.ioStatus()).as("0x44: IoStatus.Status")
          .isEqualTo(returnStatus(statusKey));
      softly.assertThat(result.information()).as("0x44: IoStatus.Information")
          .isEqualTo(TEST_FILE_SIZE);
    }
    if (statusKey != KEY_FAIL_VERIFY_REQUIRED && !isError(statusKey)) {
      byte[] expected = new byte[TEST_FILE_SIZE];
      Arrays.fill(expected, (byte) 0x44);
      softly.assertThat(result.data()).as("0x44: Buffer[0..16] = 0x44, Buffer[17] untouched")
          .containsExactly(expected);
    } else {
      softly.assertThat(result.data()).as("0x44: Buffer[0] untouched").isEmpty();
    }
    assertDriverSaw(softly, "IRP_MJ_READ", key);
    softly.assertAll();
  }

  /** {@code TestWrite(FileHandle, FALSE, UseFastIo, ReturnPending)}, one status key. */
  private static void testWrite(boolean useFastIo, boolean returnPending, int statusKey) {
    assertThat(fileOpen).as("the non-cached file is open").isEqualTo(NtStatus.STATUS_SUCCESS);
    int baseKey = baseKey(useFastIo, returnPending);
    SoftAssertions softly = new SoftAssertions();

    // NULL buffer, length 0: it reaches the driver, whose status the caller gets; the status block
    // is written (Information 0) unless that status is an error.
    int key = baseKey | statusKey | data(0x11);
    IoResult result = write(key, null);
    assertWritten(softly, "0x11", result, statusKey, 0);
    assertDriverSaw(softly, "IRP_MJ_WRITE", key);

    // A real buffer, length 0: the same.
    key = baseKey | statusKey | data(0x33);
    result = write(key, new byte[0]);
    assertWritten(softly, "0x33", result, statusKey, 0);
    assertDriverSaw(softly, "IRP_MJ_WRITE", key);

    // 32 bytes of 0x44, which the driver checks byte by byte: Information 32 when written.
    key = baseKey | statusKey | data(0x44);
    byte[] buffer = new byte[32];
    Arrays.fill(buffer, (byte) 0x44);
    result = write(key, buffer);
    assertWritten(softly, "0x44", result, statusKey, buffer.length);
    assertDriverSaw(softly, "IRP_MJ_WRITE", key);
    softly.assertAll();
  }

  private static void assertWritten(SoftAssertions softly, String call, IoResult result,
      int statusKey, long information) {
    softly.assertThat(result.status()).as("%s: status", call).isEqualTo(returnStatus(statusKey));
    softly.assertThat(result.ioStatusWritten()).as("%s: IoStatus written", call)
        .isEqualTo(!isError(statusKey));
    if (!isError(statusKey)) {
      softly.assertThat(result.ioStatus()).as("%s: IoStatus.Status", call)
          .isEqualTo(returnStatus(statusKey));
      softly.assertThat(result.information()).as("%s: IoStatus.Information", call)
          .isEqualTo(information);
    }
  }

  private static IoResult read(int key, int length) {
    return bounded("NtReadFile key 0x" + Integer.toHexString(key),
        () -> client.readFile(fileHandle, length, IoReadWriteKeys.offset(key, 0)));
  }

  private static IoResult write(int key, byte[] data) {
    return bounded("NtWriteFile key 0x" + Integer.toHexString(key),
        () -> client.writeFile(fileHandle, data, IoReadWriteKeys.offset(key, 0)));
  }

  /** The request with {@code key} reached the driver, and its checks on it passed. */
  private static void assertDriverSaw(SoftAssertions softly, String major, int key) {
    String name = IoReadWriteDriver.checkName(major, key);
    List<KernelResults.Check> checks = kernelChecks.next().stream()
        .filter(c -> c.text().startsWith(name)).toList();
    softly.assertThat(checks).as("%s reached the driver", name).hasSize(1);
    softly.assertThat(checks).as("driver checks of %s", name).allMatch(KernelResults.Check::passed);
  }
}
