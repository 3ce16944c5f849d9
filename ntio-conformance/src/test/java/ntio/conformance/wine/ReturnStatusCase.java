package ntio.conformance.wine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import ntio.api.NtApi;
import ntio.api.OpenResult;
import ntio.api.PendingIo;
import ntio.conformance.Kernel32;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.IoControlCodes;
import ntio.ddk.NtStatus;
import org.assertj.core.api.SoftAssertions;

/**
 * One row of Wine's return-status matrix: ntoskrnl.c, do_return_status (wine-mirror/wine,
 * dlls/ntoskrnl.exe/tests), whose kernel half (driver.c, return_status) writes "ghijkl" into the
 * output buffer, sets Information 3 and IoStatus.Status {@code iosbStatus}, pends if {@code
 * pending}, completes, and returns {@code retStatus}.
 *
 * <p>Each row checks what the NT layer shows, with upstream's expected values: the synchronous
 * NtDeviceIoControlFile (status, I/O status block, the caller's 7-byte buffer that held {@code
 * "abcdef"}) and the overlapped one (immediate status, status block, whether a completion is
 * delivered — upstream's event, completion port and APC checks, which all agree — and the
 * buffer). kernel32's DeviceIoControl and GetLastError, derived from the same NT results, and the
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS mode, which ntio lacks, are not ported.
 */
record ReturnStatusCase(NtStatus retStatus, NtStatus iosbStatus, boolean pending, int ioctl) {

  /** ntoskrnl.c, test_return_status: status_tests, in upstream's order. */
  static final int[] STATUSES = {
      0x00000000, 0x00000103, 0x00000102, 0x0eadbeef, 0x4eadbeef, 0x80000005, 0x8eadbeef, 0xC0000002,
      0xceadbeef};

  /** ntoskrnl.c, test_return_status: method_tests. */
  static final int[] METHODS = {
      WineIoctls.RETURN_STATUS_BUFFERED, WineIoctls.RETURN_STATUS_DIRECT, WineIoctls.RETURN_STATUS_NEITHER};

  /**
   * Every combination upstream runs, in its loop order. The rows returning STATUS_PENDING without
   * pending are left out, as upstream's do_return_status leaves them ("causes kernel hangs").
   */
  static List<ReturnStatusCase> all() {
    List<ReturnStatusCase> cases = new ArrayList<>();
    for (int ret : STATUSES) {
      for (int iosb : STATUSES) {
        for (boolean pending : new boolean[] {false, true}) {
          for (int method : METHODS) {
            if (ret == NtStatus.STATUS_PENDING.code() && !pending) {
              continue;
            }
            cases.add(new ReturnStatusCase(NtStatus.of(ret), NtStatus.of(iosb), pending, method));
          }
        }
      }
    }
    return cases;
  }

  /** upstream's winetest context: "return 0x…, iosb 0x…, pending N, method M". */
  String displayName() {
    return String.format(Locale.ROOT, "return 0x%08x, iosb 0x%08x, pending %d, method %d",
        retStatus.code(), iosbStatus.code(), pending ? 1 : 0, IoControlCodes.method(ioctl));
  }

  private byte[] params() {
    return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN)
        .putInt(retStatus.code()).putInt(iosbStatus.code()).putInt(pending ? 1 : 0).array();
  }

  /** What the caller's {@code "abcdef"} buffer holds after the call, as a C string. */
  String expectedBuffer() {
    if (ioctl != WineIoctls.RETURN_STATUS_BUFFERED) {
      return "ghijkl";
    }
    return iosbStatus.isError() ? "abcdef" : "ghidef";
  }

  /** The caller's 7-byte buffer that held "abcdef\0", after the bytes the call returned. */
  static String bufferAfter(IoResult result) {
    byte[] buffer = "abcdef\0".getBytes(StandardCharsets.US_ASCII);
    byte[] data = result.data();
    System.arraycopy(data, 0, buffer, 0, Math.min(data.length, buffer.length));
    int end = 0;
    while (end < buffer.length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, 0, end, StandardCharsets.US_ASCII);
  }

  /** Runs the row: the synchronous call on {@code device}, then the overlapped one on a new open. */
  void run(NtApi nt, Handle device) throws Exception {
    SoftAssertions softly = new SoftAssertions();
    NtStatus expectStatus = retStatus.equals(NtStatus.STATUS_PENDING) ? iosbStatus : retStatus;

    IoResult sync = nt.deviceIoControlFile(device, ioctl, params(), 7);
    softly.assertThat(sync.status()).as("synchronous: returned status").isEqualTo(expectStatus);
    statusBlock(softly, "synchronous", sync, iosbStatus.isError());
    softly.assertThat(bufferAfter(sync)).as("synchronous: buffer").isEqualTo(expectedBuffer());

    OpenResult file = Kernel32.createFile(nt, AccessMask.FILE_ALL_ACCESS, WineIoctls.WIN32_NAME, 0,
        Kernel32.FILE_FLAG_OVERLAPPED);
    softly.assertThat(file.status()).as("open for overlapped I/O").isEqualTo(NtStatus.STATUS_SUCCESS);
    if (file.status().isSuccess()) {
      try {
        PendingIo overlapped = nt.deviceIoControlFileAsync(file.handle(), ioctl, params(), 7);
        IoResult done = overlapped.completion().get(10, TimeUnit.SECONDS);
        softly.assertThat(overlapped.status()).as("overlapped: returned status").isEqualTo(retStatus);
        statusBlock(softly, "overlapped", done, !pending && iosbStatus.isError());
        softly.assertThat(bufferAfter(done)).as("overlapped: buffer").isEqualTo(expectedBuffer());
      } finally {
        softly.assertThat(nt.close(file.handle())).as("close").isEqualTo(NtStatus.STATUS_SUCCESS);
      }
    }
    softly.assertAll();
  }

  /**
   * The I/O status block: untouched when {@code untouched} (upstream's 0xdeadf00d survives, and
   * no event, port packet or APC follows), else {@code iosbStatus} with Information 3.
   */
  private void statusBlock(SoftAssertions softly, String call, IoResult result, boolean untouched) {
    softly.assertThat(result.ioStatusWritten()).as("%s: I/O status block written (and completion delivered)", call)
        .isEqualTo(!untouched);
    if (result.ioStatusWritten()) {
      softly.assertThat(result.ioStatus()).as("%s: IoStatus.Status", call).isEqualTo(iosbStatus);
      softly.assertThat(result.information()).as("%s: IoStatus.Information", call).isEqualTo(3L);
    }
  }
}
