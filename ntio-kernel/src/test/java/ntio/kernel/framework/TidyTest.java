package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.kernel.executive.TraceLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Tidy sample ({@code Tidy.jar}, built by ntio-drivers): Leaky's story with the framework. It
 * serves its device, unloads clean, fails DriverEntry clean when asked to, and — under the
 * framework's allocation fault injection — either fails cleanly or loads, at every allocation.
 * Driver Verifier (standard flags) and the framework verifier watch it throughout.
 */
@Timeout(120)
class TidyTest {

  private static final String SERVICE = "Tidy";

  @TempDir Path state;
  private FxLab lab;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
    lab.driverVerifier("Tidy.jar", VerifierSettings.STANDARD_FLAGS);
    lab.installSample(SERVICE);
    lab.kmdfVerifier(SERVICE);
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private List<String> traces() {
    return lab.kernel.io().traceEvents().stream().filter(e -> e.driver().equals("Tidy.jar"))
        .map(TraceLog.Event::message).toList();
  }

  private void assertNothingLeft() {
    assertThat(lab.bugChecks).as("bug checks").isEmpty();
    assertThat(lab.findings("Tidy.jar")).as("verifier findings").isEmpty();
    assertThat(lab.livePool("Tidy.jar")).as("pool").isEmpty();
    assertThat(lab.driverExists(SERVICE)).isFalse();
  }

  @Test
  void tidyServesItsDeviceAndUnloadsLeavingNothingBehind() {
    assertThat(lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    OpenResult opened = lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE,
        ObjectAttributes.of("\\??\\Tidy"), 0, 0);
    assertThat(opened.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    IoResult written = lab.nt.ntWriteFile(lab.admin, opened.handle(),
        "kept by Tidy".getBytes(StandardCharsets.US_ASCII), 0);
    IoResult read = lab.nt.ntReadFile(lab.admin, opened.handle(), 64, 0);
    lab.nt.ntClose(lab.admin, opened.handle());

    assertThat(written.information()).isEqualTo(12);
    assertThat(new String(read.data(), 0, (int) read.information(), StandardCharsets.US_ASCII)).isEqualTo("kept by Tidy");
    assertThat(lab.unload(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(traces()).containsSubsequence("DriverEntry: loaded", "EvtDriverUnload",
        "WDFDRIVER cleanup: stopping the trace");
    assertNothingLeft();
  }

  @Test
  void whereLeakyLeaksTidysFailedDriverEntryIsTornDownByTheFramework() {
    lab.setValue(FxLab.SERVICES + SERVICE + "\\Parameters", RegValue.dword("FailEntry", 1));

    assertThat(lab.load(SERVICE)).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);

    assertThat(traces()).containsSubsequence("DriverEntry: FailEntry failed with STATUS_INSUFFICIENT_RESOURCES (0xC000009A)",
        "WDFDRIVER cleanup: stopping the trace").doesNotContain("EvtDriverUnload");
    assertThat(lab.nt.ntCreateFile(lab.admin, AccessMask.GENERIC_READ, ObjectAttributes.of("\\??\\Tidy"), 0, 0)
        .status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND);
    assertNothingLeft();
  }

  @Test
  void T23_underAllocationFaultInjectionEveryLoadFailsCleanlyOrSucceeds() {
    List<NtStatus> outcomes = new ArrayList<>();
    for (int failAfter = 0; failAfter < 16; failAfter++) {
      lab.kmdfVerifier(SERVICE, RegValue.dword("VerifierAllocateFailCount", failAfter));
      NtStatus loaded = lab.load(SERVICE);
      outcomes.add(loaded);
      if (loaded.isSuccess()) {
        assertThat(lab.unload(SERVICE)).isEqualTo(NtStatus.STATUS_SUCCESS);
      }
      assertNothingLeft();
      if (loaded.isSuccess()) {
        break;
      }
      assertThat(loaded).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    }

    // One failure for each allocation DriverEntry makes (memory, device init, device, queue), then a load.
    NtStatus failed = NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    assertThat(outcomes).containsExactly(failed, failed, failed, failed, NtStatus.STATUS_SUCCESS);
  }
}
