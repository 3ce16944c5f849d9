package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.VerifierFinding;
import ntio.ddk.NtStatus;
import ntio.framework.InflightTrace;
import ntio.kernel.executive.TraceLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The WPP-style trace (L8, L9, T08 A and C) on a builtin driver, writing to the kernel's trace log. */
@Timeout(60)
class InflightTraceTest {

  @TempDir Path state;
  private FxLab lab;
  private InflightTrace trace;
  private FxLab.Bound bound;

  @BeforeEach
  void boot() {
    lab = new FxLab(state);
    AtomicReference<InflightTrace> started = new AtomicReference<>();
    bound = lab.builtin("FxTrace", (w, d, path) -> {
      started.set(InflightTrace.init(d, path));
      return NtStatus.STATUS_SUCCESS;
    });
    trace = started.get();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  @Test
  void L9_initRegistersAProviderWhoseTracesReachTheKernelsTraceLogAndCleanupUnregistersIt() {
    assertThat(trace.initStatus()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(trace.isActive()).isTrue();

    trace.trace("answer %d", 42);
    trace.cleanup(bound.driver());

    assertThat(lab.kernel.io().traceEvents()).extracting(TraceLog.Event::message).contains("answer 42");
    assertThat(trace.isActive()).isFalse();
    assertThat(lab.findings("FxTrace")).isEmpty();
  }

  @Test
  void T08A_aSecondCleanupIsReportedAsWppCleanupCalledTwice() {
    trace.cleanup(bound.driver());

    trace.cleanup(bound.driver());

    assertThat(lab.findings("FxTrace")).extracting(VerifierFinding::check).containsExactly("V-WPP-01");
    assertThat(lab.findings("FxTrace").get(0).message()).contains("WPP cleanup called twice");
  }

  @Test
  void T08C_aTraceAfterCleanupIsReportedAndDropped() {
    trace.cleanup(bound.driver());

    trace.trace("too late");

    assertThat(lab.findings("FxTrace")).extracting(VerifierFinding::check).containsExactly("V-WPP-02");
    assertThat(lab.findings("FxTrace").get(0).message()).contains("trace after WPP cleanup", "too late");
    assertThat(lab.kernel.io().traceEvents()).extracting(TraceLog.Event::message).doesNotContain("too late");
  }
}
