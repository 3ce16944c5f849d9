package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.CreateOptions;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.io.statustests.ReturnStatusDriver;
import ntio.kernel.process.KThread;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole matrix of Wine's {@code dlls/ntoskrnl.exe/tests/ntoskrnl.c}, {@code
 * test_return_status} / {@code do_return_status} (repo wine-mirror/wine), whose expectations were
 * taken on Windows: every dispatch return value × every {@code IoStatus.Status} (success,
 * informational, warning and error, named and not) × pended or not × METHOD_BUFFERED, OUT_DIRECT
 * and NEITHER, synchronous and overlapped. The kernel half is {@link ReturnStatusDriver}, shaped
 * after Wine's {@code driver.c} {@code return_status}: it writes {@code "ghijkl"}, says {@code
 * Information} 3, completes with the asked status and returns the other.
 */
@Timeout(120)
class ReturnStatusMatrixTest {

  /** Wine's {@code status_tests}. */
  private static final List<NtStatus> STATUSES = List.of(NtStatus.STATUS_SUCCESS,
      NtStatus.STATUS_PENDING, NtStatus.STATUS_TIMEOUT, NtStatus.of(0x0eadbeef),
      NtStatus.of(0x4eadbeef), NtStatus.STATUS_BUFFER_OVERFLOW, NtStatus.of(0x8eadbeef),
      NtStatus.STATUS_NOT_IMPLEMENTED, NtStatus.of(0xceadbeef));

  private static final List<Integer> METHODS = List.of(
      ReturnStatusDriver.IOCTL_RETURN_STATUS_BUFFERED, ReturnStatusDriver.IOCTL_RETURN_STATUS_DIRECT,
      ReturnStatusDriver.IOCTL_RETURN_STATUS_NEITHER);

  /** The caller's output buffer: Wine's {@code char buffer[7]}. */
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

  @AfterEach
  void shutDown() {
    lab.close();
  }

  /**
   * Wine {@code do_return_status}, the non-overlapped half: the call returns the dispatch
   * routine's status, or the final status when it returned STATUS_PENDING; the status block is
   * written (with the driver's IoStatus and Information 3) unless the final status is an error;
   * METHOD_BUFFERED copies Information bytes back unless the final status is an error, the other
   * methods leave all the driver wrote.
   */
  @Test
  void synchronousControlsFollowWindowsForEveryStatusPendingAndMethod() {
    SoftAssertions softly = new SoftAssertions();
    AtomicInteger cases = new AtomicInteger();
    forEachCase((ret, iosb, pending, method) -> {
      cases.incrementAndGet();
      String context = describe(ret, iosb, pending, method);
      IoResult result = lab.nt.ntDeviceIoControlFile(client, device, method,
          ReturnStatusDriver.parameters(ret, iosb, pending), OUTPUT);

      NtStatus expectStatus = ret.equals(NtStatus.STATUS_PENDING) ? iosb : ret;
      softly.assertThat(result.status()).as("status, " + context).isEqualTo(expectStatus);
      softly.assertThat(result.ioStatusWritten()).as("IOSB written, " + context)
          .isEqualTo(!iosb.isError());
      if (!iosb.isError()) {
        softly.assertThat(result.ioStatus()).as("IOSB status, " + context).isEqualTo(iosb);
        softly.assertThat(result.information()).as("IOSB information, " + context).isEqualTo(3);
      }
      softly.assertThat(text(result.data())).as("buffer, " + context)
          .isEqualTo(expectedBuffer(iosb, method));
    });
    softly.assertAll();
    assertThat(cases.get()).as("Wine's 9 x 9 x 2 x 3 cases, less ret PENDING unpended").isEqualTo(459);
  }

  /**
   * Wine {@code do_return_status}, the overlapped half: the call returns the dispatch routine's
   * status (STATUS_PENDING when it pended); the status block is written, the event signalled and
   * the APC run unless the request was completed with an error without pending; the buffer is as
   * for the synchronous call.
   */
  @Test
  void overlappedControlsFollowWindowsForEveryStatusPendingAndMethod() {
    SoftAssertions softly = new SoftAssertions();
    forEachCase((ret, iosb, pending, method) -> {
      String context = describe(ret, iosb, pending, method);
      AtomicInteger apcs = new AtomicInteger();
      IoRequest request = lab.nt.ntDeviceIoControlFileAsync(client, overlappedDevice, method,
          ReturnStatusDriver.parameters(ret, iosb, pending), OUTPUT, done -> apcs.incrementAndGet());

      softly.assertThat(request.returnedStatus()).as("status, " + context).isEqualTo(ret);
      assertThat(request.await(Duration.ofSeconds(10))).as("finished, " + context).isTrue();
      boolean delivered = pending || !iosb.isError();
      softly.assertThat(request.ioStatusWritten()).as("IOSB written, " + context)
          .isEqualTo(delivered);
      if (delivered) {
        softly.assertThat(request.status()).as("IOSB status, " + context).isEqualTo(iosb);
        softly.assertThat(request.information()).as("IOSB information, " + context).isEqualTo(3);
        IoLab.await("the APC of " + context, () -> apcs.get() == 1);
      }
      softly.assertThat(text(request.data())).as("buffer, " + context)
          .isEqualTo(expectedBuffer(iosb, method));
      if (!delivered) {
        softly.assertThat(apcs.get()).as("no APC, " + context).isZero();
      }
    });
    softly.assertAll();
  }

  /**
   * Wine's {@code expect_buffer}: {@code "ghijkl"} for the methods that write into the caller's
   * memory, {@code "abcdef"} (nothing copied) for METHOD_BUFFERED with an error, else {@code
   * "ghidef"} (Information bytes copied). ntio gives back only what was copied, so the caller's
   * untouched bytes are absent here.
   */
  private static String expectedBuffer(NtStatus iosb, int method) {
    if (method != ReturnStatusDriver.IOCTL_RETURN_STATUS_BUFFERED) {
      return "ghijkl\0";
    }
    return iosb.isError() ? "" : "ghi";
  }

  private interface Case {
    void run(NtStatus ret, NtStatus iosb, boolean pending, int method);
  }

  private static void forEachCase(Case body) {
    for (NtStatus ret : STATUSES) {
      for (NtStatus iosb : STATUSES) {
        for (boolean pending : new boolean[] {false, true}) {
          if (ret.equals(NtStatus.STATUS_PENDING) && !pending) {
            continue; // Wine skips it: returning STATUS_PENDING without marking pending hangs NT.
          }
          for (int method : METHODS) {
            body.run(ret, iosb, pending, method);
          }
        }
      }
    }
  }

  private static String describe(NtStatus ret, NtStatus iosb, boolean pending, int method) {
    return "return " + ret + ", iosb " + iosb + ", pending " + pending + ", method " + (method & 3);
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }
}
