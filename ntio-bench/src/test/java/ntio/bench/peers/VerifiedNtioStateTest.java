package ntio.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import ntio.api.DriverStatistics;
import ntio.api.VerifierSettings;
import ntio.bench.NullDriverCycle;
import ntio.kernel.verifier.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class VerifiedNtioStateTest {

  @Test
  void everyLoadOfNullIsVerifiedWithTheStandardFlagsAndEveryUnloadedLoaderIsProvenGone() throws Exception {
    VerifiedNtioState state = new VerifiedNtioState();
    state.boot();
    try {
      for (int i = 0; i < 3; i++) {
        state.cycle.run();
      }

      Verifier verifier = state.cycle.kernel().io().verifier();
      DriverStatistics last = verifier.query(NullDriverCycle.imageName()).orElseThrow();
      assertThat(last.loaded()).isFalse();
      assertThat(last.flags()).isEqualTo(VerifierSettings.STANDARD_FLAGS);
      assertThat(verifier.awaitLoaderProbes(Duration.ofSeconds(30))).isTrue();
      assertThat(verifier.loaderProbeStatistics().provenUnreachable()).isEqualTo(3);
      assertThat(verifier.findings()).isEmpty();
    } finally {
      state.shutdown();
    }
  }
}
