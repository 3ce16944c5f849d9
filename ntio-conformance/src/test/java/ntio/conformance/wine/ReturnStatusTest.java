package ntio.conformance.wine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import ntio.api.OpenResult;
import ntio.conformance.ConformanceHost;
import ntio.conformance.Kernel32;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * ntoskrnl.c, test_return_status (wine-mirror/wine, dlls/ntoskrnl.exe/tests): the whole matrix,
 * one named test per row — dispatch return value × IoStatus.Status × pending or not ×
 * METHOD_BUFFERED / OUT_DIRECT / NEITHER, each row checking the synchronous and the overlapped
 * call ({@link ReturnStatusCase}). Rows are independent, so they get a host of their own; a row
 * that bug-checks the kernel fails, naming the bug check, and the next row starts a new host.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ReturnStatusTest {

  private ConformanceHost host;
  private Handle device = Handle.NULL;

  @AfterAll
  void stopHost() {
    if (host != null) {
      host.close();
    }
  }

  /** START_TEST's set-up: the driver loaded and {@code \\.\WineTestDriver} opened. */
  private void ensureHost() {
    if (host != null && !host.isHalted()) {
      return;
    }
    if (host != null) {
      host.close();
    }
    host = ConformanceHost.start();
    host.installDriver(WineIoctls.SERVICE, NtoskrnlTest.kernelHalf());
    host.installDriver(WineIoctls.SERVICE2, WineTestDriver2.class);
    assertThat(host.loadDriver(WineIoctls.SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    OpenResult opened = Kernel32.createFile(host.admin(), 0, WineIoctls.WIN32_NAME, 0);
    assertThat(opened.status()).as("failed to open device").isEqualTo(NtStatus.STATUS_SUCCESS);
    device = opened.handle();
  }

  @TestFactory
  Stream<DynamicTest> testReturnStatus() {
    return ReturnStatusCase.all().stream().map(row -> DynamicTest.dynamicTest(row.displayName(), () -> {
      ensureHost();
      try {
        row.run(host.admin(), device);
      } finally {
        assertThat(host.bugCheck()).as("the kernel bug-checked during the row").isEmpty();
      }
    }));
  }
}
