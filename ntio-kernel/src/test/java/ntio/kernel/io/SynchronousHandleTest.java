package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.FileInformationClass;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.io.statustests.ReturnStatusDriver;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status-block rules follow the FILE OBJECT's mode — opened for synchronous I/O ({@code
 * FILE_SYNCHRONOUS_IO_ALERT} / {@code FILE_SYNCHRONOUS_IO_NONALERT}, {@code FO_SYNCHRONOUS_IO}) or
 * not — whatever the call. Each test cites the upstream check, run on Windows, or the NT routine.
 */
@Timeout(60)
class SynchronousHandleTest {

  private static final int BUFFERED = ReturnStatusDriver.IOCTL_RETURN_STATUS_BUFFERED;
  private static final int OUTPUT = 7;
  private static final int ACCESS = IoLab.READ_WRITE | AccessMask.SYNCHRONIZE;

  @TempDir Path state;

  private IoLab lab;
  private KThread client;

  @BeforeEach
  void boot() {
    lab = IoLab.boot(state);
    client = lab.kernel.userSession("client", Sid.unixUser(2001));
    DriverJars.image("ReturnStatus.jar").entry(ReturnStatusDriver.class)
        .writeTo(lab.kernel.stateDirectory().resolve("SystemRoot").resolve("System32")
            .resolve("drivers"));
    lab.installService("ReturnStatus", "ReturnStatus.jar");
    assertThat(lab.load("ReturnStatus")).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private OpenResult open(int access, int createOptions) {
    return lab.nt.ntCreateFile(client, access, ObjectAttributes.of(ReturnStatusDriver.DEVICE), 0,
        createOptions);
  }

  private Handle opened(int createOptions) {
    OpenResult result = open(ACCESS, createOptions);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return result.handle();
  }

  private IoResult control(Handle file, NtStatus ret, NtStatus iosb, boolean pending) {
    return lab.nt.ntDeviceIoControlFile(client, file, BUFFERED,
        ReturnStatusDriver.parameters(ret, iosb, pending), OUTPUT);
  }

  /**
   * Wine {@code ntoskrnl.c}, {@code test_blocking_irp}, its second half: on a handle opened with
   * {@code FILE_FLAG_OVERLAPPED} (no {@code FILE_SYNCHRONOUS_IO_*}) a call that waits for its
   * result still gets an error its driver pended written to the status block ({@code io.Status ==
   * STATUS_DEVICE_NOT_READY}, Information 0), where the first half's synchronous handle leaves
   * the block untouched.
   */
  @Test
  void pendedErrorOnAHandleNotForSynchronousIoIsWrittenToTheStatusBlock() {
    IoResult overlapped = control(opened(0), NtStatus.STATUS_PENDING,
        NtStatus.STATUS_NOT_IMPLEMENTED, true);
    IoResult synchronous = control(opened(CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT),
        NtStatus.STATUS_PENDING, NtStatus.STATUS_NOT_IMPLEMENTED, true);

    assertThat(overlapped.status()).as("the caller waited: the final status")
        .isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(overlapped.ioStatusWritten()).isTrue();
    assertThat(overlapped.ioStatus()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(overlapped.information()).isEqualTo(3);
    assertThat(synchronous.status()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(synchronous.ioStatusWritten()).isFalse();
  }

  /**
   * Wine {@code ntoskrnl.c}, {@code do_return_status}, the overlapped half: {@code
   * !params->pending && NT_ERROR(params->iosb_status)} leaves {@code io} untouched on a handle
   * opened with {@code FILE_FLAG_OVERLAPPED} too — and the returned status is the dispatch
   * routine's.
   */
  @Test
  void errorCompletedWithoutPendingLeavesTheBlockUntouchedOnEitherHandle() {
    IoResult overlapped = control(opened(0), NtStatus.STATUS_SUCCESS,
        NtStatus.STATUS_NOT_IMPLEMENTED, false);
    IoResult synchronous = control(opened(CreateOptions.FILE_SYNCHRONOUS_IO_ALERT),
        NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NOT_IMPLEMENTED, false);

    assertThat(overlapped.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(overlapped.ioStatusWritten()).isFalse();
    assertThat(synchronous.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(synchronous.ioStatusWritten()).isFalse();
  }

  /**
   * ReactOS {@code ntoskrnl/io/iomgr/iofunc.c}, {@code IopSynchronousServiceTail}: on a file for
   * synchronous I/O the service waits for a request that pended, whatever event the caller gave,
   * and returns the final status; the block follows the synchronous rule (an error untouched).
   */
  @Test
  void overlappedCallOnAHandleForSynchronousIoWaitsAndReturnsTheFinalStatus() {
    Handle file = opened(CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT);

    IoRequest success = lab.nt.ntDeviceIoControlFileAsync(client, file, BUFFERED,
        ReturnStatusDriver.parameters(NtStatus.STATUS_PENDING, NtStatus.of(0x0eadbeef), true),
        OUTPUT, null);
    IoRequest failure = lab.nt.ntDeviceIoControlFileAsync(client, file, BUFFERED,
        ReturnStatusDriver.parameters(NtStatus.STATUS_PENDING, NtStatus.STATUS_NOT_IMPLEMENTED, true),
        OUTPUT, null);

    assertThat(success.returnedStatus()).isEqualTo(NtStatus.of(0x0eadbeef));
    assertThat(failure.returnedStatus()).isEqualTo(NtStatus.STATUS_NOT_IMPLEMENTED);
    assertThat(failure.outcome().toCompletableFuture().join().ioStatusWritten()).isFalse();
  }

  /**
   * ReactOS {@code ntoskrnl/io/iomgr/file.c}, {@code IopCreateFile}'s parameter checks: a
   * {@code FILE_SYNCHRONOUS_IO_*} option without SYNCHRONIZE, or both options at once, is
   * STATUS_INVALID_PARAMETER.
   */
  @Test
  void synchronousIoOptionWithoutSynchronizeOrBothOptionsIsInvalidParameter() {
    assertThat(open(IoLab.READ_WRITE, CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(open(ACCESS, CreateOptions.FILE_SYNCHRONOUS_IO_ALERT
        | CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT).status())
        .isEqualTo(NtStatus.STATUS_INVALID_PARAMETER);
    assertThat(open(IoLab.READ_WRITE, 0).status()).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  /**
   * NT's FileModeInformation gives the open's synchronous-I/O option back ({@code
   * FILE_SYNCHRONOUS_IO_NONALERT} 0x20, {@code FILE_SYNCHRONOUS_IO_ALERT} 0x10, or neither).
   */
  @Test
  void fileModeInformationReportsTheSynchronousIoOption() {
    assertThat(mode(opened(CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT)))
        .isEqualTo(CreateOptions.FILE_SYNCHRONOUS_IO_NONALERT);
    assertThat(mode(opened(CreateOptions.FILE_SYNCHRONOUS_IO_ALERT)))
        .isEqualTo(CreateOptions.FILE_SYNCHRONOUS_IO_ALERT);
    assertThat(mode(opened(0))).isZero();
  }

  private int mode(Handle file) {
    IoResult result = lab.nt.ntQueryInformationFile(client, file,
        FileInformationClass.FILE_MODE_INFORMATION, 4);
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }
}
