package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.io.statustests.ReturnStatusDriver;
import ntio.kernel.process.KThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a read, write or device control gives back to its caller, rule by rule, as Windows has it.
 * Each test cites the upstream check, run on Windows, that shows the rule. {@link
 * ReturnStatusMatrixTest} runs Wine's whole matrix.
 */
@Timeout(60)
class IoStatusRulesTest {

  private static final int BUFFERED = ReturnStatusDriver.IOCTL_RETURN_STATUS_BUFFERED;
  private static final int OUTPUT = 7;

  @TempDir Path state;

  private IoLab lab;
  private KThread client;
  /** A handle for synchronous I/O. */
  private Handle device;
  /** A handle not for synchronous I/O (FILE_FLAG_OVERLAPPED). */
  private Handle overlappedDevice;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    client = lab.userClient();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private void loadDriver() {
    lab.loadImage("ReturnStatus", ReturnStatusDriver.class);
    // Two handles, as Wine's do_return_status has: CreateFile without FILE_FLAG_OVERLAPPED (for
    // synchronous I/O) for the synchronous calls, and one with it for the overlapped calls.
    OpenResult opened = lab.nt.ntCreateFile(client, IoLab.READ_WRITE | AccessMask.SYNCHRONIZE,
        ObjectAttributes.of(ReturnStatusDriver.DEVICE), 0, CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    device = opened.handle();
    OpenResult forOverlapped = lab.nt.ntCreateFile(client, IoLab.READ_WRITE | AccessMask.SYNCHRONIZE,
        ObjectAttributes.of(ReturnStatusDriver.DEVICE), 0, 0);
    assertThat(forOverlapped.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    overlappedDevice = forOverlapped.handle();
  }

  private IoResult control(int code, NtStatus ret, NtStatus iosb, boolean pending) {
    return lab.nt.ntDeviceIoControlFile(client, device, code,
        ReturnStatusDriver.parameters(ret, iosb, pending), OUTPUT);
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }

  // Synchronous calls ------------------------------------------------------------------------------

  /**
   * Wine {@code ntoskrnl.c}, {@code do_return_status} (non-overlapped {@code
   * NtDeviceIoControlFile}): {@code ret == expect_status}, the dispatch routine's return value when
   * it did not return STATUS_PENDING — not {@code IoStatus.Status}.
   */
  @Test
  void syncControlReturnsTheDispatchStatusNotIoStatus() {
    loadDriver();

    IoResult result = control(BUFFERED, NtStatus.STATUS_TIMEOUT, NtStatus.of(0x4eadbeef),
        false);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(result.ioStatusWritten()).isTrue();
    assertThat(result.ioStatus()).isEqualTo(NtStatus.of(0x4eadbeef));
    assertThat(result.information()).isEqualTo(3);
  }

  /** Wine {@code do_return_status}: a dispatch that returned STATUS_PENDING gives the final status. */
  @Test
  void syncControlThatPendedReturnsTheFinalIoStatus() {
    loadDriver();

    IoResult result = control(BUFFERED, NtStatus.STATUS_PENDING, NtStatus.of(0x0eadbeef),
        true);

    assertThat(result.status()).isEqualTo(NtStatus.of(0x0eadbeef));
    assertThat(result.ioStatus()).isEqualTo(NtStatus.of(0x0eadbeef));
  }

  /**
   * Wine {@code do_return_status}: {@code io.Status == 0xdeadf00d} (untouched) whenever {@code
   * NT_ERROR(iosb_status)} on the non-overlapped handle, pended or not, whatever the dispatch
   * routine returned; ReactOS {@code kmtests/ntos_io/IoReadWrite_user.c}, {@code TestWrite}, shows
   * the same for writes ({@code IoStatus.Status == 0x55555555} for an error).
   */
  @Test
  void syncErrorIoStatusLeavesTheStatusBlockUnwritten() {
    loadDriver();

    IoResult direct = control(BUFFERED, NtStatus.STATUS_SUCCESS,
        NtStatus.STATUS_NOT_IMPLEMENTED, false);
    IoResult pended = control(BUFFERED, NtStatus.STATUS_PENDING,
        NtStatus.STATUS_NOT_IMPLEMENTED, true);

    assertThat(direct.status()).as("the dispatch's status still comes back")
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(direct.ioStatusWritten()).isFalse();
    assertThat(direct.information()).isZero();
    assertThat(pended.status()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(pended.ioStatusWritten()).isFalse();
  }

  /** A call refused before any driver saw it writes no status block either. */
  @Test
  void aRefusedCallLeavesTheStatusBlockUnwritten() {
    IoResult result = lab.nt.ntReadFile(client, new Handle(0x7ffc), 4, 0);

    assertThat(result.status().isError()).isTrue();
    assertThat(result.ioStatusWritten()).isFalse();
  }

  // What goes back into the caller's buffer ----------------------------------------------------------

  /**
   * Wine {@code do_return_status}: for METHOD_BUFFERED, {@code expect_buffer} is {@code "ghidef"}
   * (Information bytes copied) for every status that is not {@code NT_ERROR} — warnings such as
   * STATUS_BUFFER_OVERFLOW and 0x8eadbeef included.
   */
  @Test
  void bufferedControlCopiesInformationBytesForSuccessInformationalAndWarning() {
    loadDriver();

    for (NtStatus iosb : new NtStatus[] {NtStatus.STATUS_SUCCESS, NtStatus.of(0x4eadbeef),
        NtStatus.STATUS_BUFFER_OVERFLOW, NtStatus.of(0x8eadbeef)}) {
      assertThat(text(control(BUFFERED, iosb, iosb, false).data())).as("%s", iosb).isEqualTo("ghi");
    }
  }

  /**
   * Wine {@code do_return_status}: METHOD_BUFFERED with {@code NT_ERROR(iosb_status)} leaves the
   * buffer {@code "abcdef"}. ReactOS {@code kmtests/ntos_io/IoReadWrite_user.c}, {@code TestRead}
   * (non-cached): {@code KEY_FAIL_VERIFY_REQUIRED}, a warning, leaves the buffer untouched too
   * ({@code Buffer[0] == 0x55}), while the other warnings copy.
   */
  @Test
  void bufferedControlCopiesNothingBackForAnErrorOrVerifyRequired() {
    loadDriver();

    IoResult error = control(BUFFERED, NtStatus.of(0xceadbeef), NtStatus.of(0xceadbeef),
        false);
    IoResult verify = control(BUFFERED, NtStatus.STATUS_VERIFY_REQUIRED,
        NtStatus.STATUS_VERIFY_REQUIRED, false);

    assertThat(error.data()).isEmpty();
    assertThat(verify.data()).isEmpty();
    assertThat(verify.ioStatusWritten()).as("a warning: the block is written").isTrue();
    assertThat(verify.information()).isEqualTo(3);
  }

  /**
   * Wine {@code do_return_status}: for METHOD_OUT_DIRECT and METHOD_NEITHER {@code expect_buffer}
   * is {@code "ghijkl"} — all the driver wrote, though Information says 3, even for an error.
   */
  @Test
  void outDirectAndNeitherOutputIsNotCutToInformation() {
    loadDriver();

    for (int code : new int[] {ReturnStatusDriver.IOCTL_RETURN_STATUS_DIRECT,
        ReturnStatusDriver.IOCTL_RETURN_STATUS_NEITHER}) {
      assertThat(text(control(code, NtStatus.STATUS_SUCCESS, NtStatus.STATUS_SUCCESS, false).data()))
          .isEqualTo("ghijkl\0");
      assertThat(text(control(code, NtStatus.STATUS_NOT_IMPLEMENTED,
          NtStatus.STATUS_NOT_IMPLEMENTED, false).data())).isEqualTo("ghijkl\0");
    }
  }

  // Overlapped calls -------------------------------------------------------------------------------

  /**
   * Wine {@code do_return_status} (overlapped): {@code ret == params->ret_status} — the dispatch
   * routine's status at once, STATUS_PENDING when it returned that.
   */
  @Test
  void overlappedCallReportsTheDispatchStatusAtOnce() {
    loadDriver();

    IoRequest direct = lab.nt.ntDeviceIoControlFileAsync(client, overlappedDevice, BUFFERED,
        ReturnStatusDriver.parameters(NtStatus.STATUS_TIMEOUT, NtStatus.STATUS_SUCCESS, false),
        OUTPUT, null);
    IoRequest pended = lab.nt.ntDeviceIoControlFileAsync(client, overlappedDevice, BUFFERED,
        ReturnStatusDriver.parameters(NtStatus.STATUS_PENDING, NtStatus.STATUS_SUCCESS, true),
        OUTPUT, null);

    assertThat(direct.returnedStatus()).isEqualTo(NtStatus.STATUS_TIMEOUT);
    assertThat(pended.returnedStatus()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(direct.await(Duration.ofSeconds(10))).isTrue();
    assertThat(direct.status()).as("the final status").isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /**
   * Wine {@code do_return_status} (overlapped, event and APC): with {@code !pending &&
   * NT_ERROR(iosb_status)} the event stays unsignalled, the block untouched and the APC never runs
   * ({@code got_return_status_apc == 0}); pended, the same error gets all three.
   */
  @Test
  void overlappedErrorCompletedWithoutPendingDeliversNoCompletion() {
    loadDriver();
    AtomicInteger apcs = new AtomicInteger();

    IoRequest direct = lab.nt.ntDeviceIoControlFileAsync(client, overlappedDevice, BUFFERED,
        ReturnStatusDriver.parameters(NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NOT_IMPLEMENTED,
            false), OUTPUT, done -> apcs.incrementAndGet());
    IoRequest pended = lab.nt.ntDeviceIoControlFileAsync(client, overlappedDevice, BUFFERED,
        ReturnStatusDriver.parameters(NtStatus.STATUS_PENDING, NtStatus.STATUS_NOT_IMPLEMENTED,
            true), OUTPUT, done -> apcs.incrementAndGet());

    assertThat(direct.await(Duration.ofSeconds(10))).isTrue();
    assertThat(pended.await(Duration.ofSeconds(10))).isTrue();
    assertThat(direct.returnedStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(direct.ioStatusWritten()).isFalse();
    assertThat(pended.ioStatusWritten()).isTrue();
    assertThat(pended.status()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    IoLab.await("the pended request's APC", () -> apcs.get() == 1);
    assertThat(direct.outcome().toCompletableFuture().join()).as("finished all the same")
        .isSameAs(direct);
  }

  // Completing with STATUS_PENDING ------------------------------------------------------------------

  /**
   * Wine {@code do_return_status} with {@code ret_status == iosb_status == STATUS_PENDING},
   * pended: Windows completes the request with STATUS_PENDING in IoStatus and the caller sees it
   * ({@code io.Status == STATUS_PENDING}); no bug check without Driver Verifier.
   */
  @Test
  void completingWithStatusPendingIsNoBugCheckWithoutDriverVerifier() {
    loadDriver();

    IoResult result = control(BUFFERED, NtStatus.STATUS_PENDING, NtStatus.STATUS_PENDING,
        true);

    assertThat(result.status()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(result.ioStatusWritten()).isTrue();
    assertThat(result.ioStatus()).isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(lab.kernel.bugChecks().first()).isEmpty();
  }

  /** Under I/O verification the same completion stays a verifier violation: bug check 0xC9/6. */
  @Test
  void completingWithStatusPendingUnderIoVerificationIsBugCheck0xC9WithParameter6() {
    lab.kernel.io().verifier().setVolatileSettings(
        VerifierSettings.parse("ReturnStatus.jar", VerifierSettings.STANDARD_FLAGS));
    loadDriver();

    Throwable thrown = catchThrowable(
        () -> control(BUFFERED, NtStatus.STATUS_PENDING, NtStatus.STATUS_PENDING, true));

    assertThat(thrown).as("the halted kernel's refusal, if any").isNull();
    BugCheck found = lab.kernel.bugChecks().first().orElseThrow();
    assertThat(found.code()).isEqualTo(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION);
    assertThat(found.parameter1()).isEqualTo(0x06);
    assertThat(found.driver()).isEqualTo("ReturnStatus");
  }

  // Writes and driver-built requests ------------------------------------------------------------------

  /**
   * ReactOS {@code kmtests/ntos_io/IoReadWrite_user.c}, {@code TestWrite}: {@code NtWriteFile}
   * with a NULL buffer and length 0 reaches the driver, whose status comes back with {@code
   * Information} 0.
   */
  @Test
  void writeWithANullBufferAndLengthZeroReachesTheDriver() {
    loadDriver();

    IoResult written = lab.nt.ntWriteFile(client, device, null, 0);
    IoRequest overlapped = lab.nt.ntWriteFileAsync(client, overlappedDevice, null, 0, null);

    assertThat(written.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(written.information()).isZero();
    assertThat(overlapped.await(Duration.ofSeconds(10))).isTrue();
    assertThat(overlapped.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    IoResult count = lab.nt.ntDeviceIoControlFile(client, device,
        ReturnStatusDriver.IOCTL_WRITES, null, 4);
    assertThat(ByteBuffer.wrap(count.data()).order(ByteOrder.LITTLE_ENDIAN).getInt())
        .as("writes the driver saw").isEqualTo(2);
  }

  /**
   * Wine {@code driver.c}, {@code test_call_driver}: an IRP from {@code
   * IoBuildSynchronousFsdRequest} or {@code IoBuildDeviceIoControlRequest} starts with {@code
   * IoStatus.Status} 0 and {@code Information} 0.
   */
  @Test
  void builtRequestsStartWithIoStatusZeroed() {
    loadDriver();

    IoResult result = lab.nt.ntDeviceIoControlFile(client, device,
        ReturnStatusDriver.IOCTL_BUILT_STATUS, null, 24);

    ByteBuffer seen = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(result.data()).hasSize(24);
    assertThat(seen.getInt()).as("flush Status").isZero();
    assertThat(seen.getLong()).as("flush Information").isZero();
    assertThat(seen.getInt()).as("control Status").isZero();
    assertThat(seen.getLong()).as("control Information").isZero();
  }

  /**
   * ReactOS {@code kmtests/ntos_io/IoDeviceObject_drv.c}, {@code TestDriverObject}: {@code
   * HardwareDatabase->MaximumLength == Length + sizeof(UNICODE_NULL)} and the character past the
   * text is NUL.
   */
  @Test
  void hardwareDatabaseIsNulTerminated() {
    UnicodeString database = KernelDriverObject.HARDWARE_DATABASE;

    assertThat(database.text()).isEqualTo("\\REGISTRY\\MACHINE\\HARDWARE\\DESCRIPTION\\SYSTEM");
    assertThat(database.maximumLength()).isEqualTo(database.length() + 2);
    assertThat(database.buffer()[database.length() / 2]).isEqualTo('\0');
  }
}
