package ntio.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.api.CrashDump;
import ntio.api.KernelHalt;
import ntio.kernel.executive.BugCheckException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a kernel's halt tells: its listeners, its crash report, the verifier's findings in it. */
class KernelHaltTest {

  @TempDir Path state;

  @Test
  void theCrashReportKeepsTheVerifiersNonFatalFindingsThatWouldVanishWithTheHaltedKernel() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      kernel.io().verifier().recordFinding("Lingering.jar", "DV8-LOADER-REACHABLE", "its class loader is still reachable");
      kernel.io().verifier().recordFinding("Tidy.jar", "V-KMDF-05", "a request was completed twice");

      assertThatThrownBy(() -> kernel.bugChecks().raise(0xC4, 0x62, 0, 0, 0, "Leaky.jar", "pool leaked"))
          .isInstanceOf(BugCheckException.class);

      KernelHalt halt = kernel.haltReason().orElseThrow();
      CrashDump dump = CrashDumps.load(state, halt.reportId()).orElseThrow();
      assertThat(dump.text()).contains("Verifier findings (non-fatal, oldest first):")
          .containsSubsequence("Lingering.jar DV8-LOADER-REACHABLE: its class loader is still reachable",
              "Tidy.jar V-KMDF-05: a request was completed twice");
    }
  }

  @Test
  void aReportWithoutFindingsHasNoFindingsSection() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      assertThatThrownBy(() -> kernel.bugChecks().raise(0xE2, 0, 0, 0, 0, null, "asked for"))
          .isInstanceOf(BugCheckException.class);

      KernelHalt halt = kernel.haltReason().orElseThrow();
      assertThat(halt.image()).isEmpty();
      assertThat(halt.line()).isEqualTo("kernel halted: bug check 0x000000E2 — `ntio crash show " + halt.reportId() + "`");
      assertThat(CrashDumps.load(state, halt.reportId()).orElseThrow().text()).doesNotContain("Verifier findings");
    }
  }

  @Test
  void aListenerIsCalledOnceAfterTheReportAndOneAddedAfterTheHaltAtOnce() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      List<KernelHalt> early = new CopyOnWriteArrayList<>();
      List<Boolean> reportWritten = new CopyOnWriteArrayList<>();
      kernel.onHalt(halt -> {
        early.add(halt);
        reportWritten.add(CrashDumps.load(state, halt.reportId()).isPresent());
      });

      assertThatThrownBy(() -> kernel.bugChecks().raise(0xE2, 0, 0, 0, 0, null, "first"))
          .isInstanceOf(BugCheckException.class);
      assertThatThrownBy(() -> kernel.bugChecks().raise(0xE2, 0, 0, 0, 0, null, "second"))
          .isInstanceOf(BugCheckException.class);
      List<KernelHalt> late = new CopyOnWriteArrayList<>();
      kernel.onHalt(late::add);

      assertThat(early).singleElement().satisfies(h -> assertThat(h.bugCheck().message()).isEqualTo("first"));
      assertThat(reportWritten).containsExactly(true);
      assertThat(late).containsExactlyElementsOf(early);
      assertThat(kernel.isRunning()).isFalse();
    }
  }
}
