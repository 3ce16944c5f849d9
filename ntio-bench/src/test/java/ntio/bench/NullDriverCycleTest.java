package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ntio.kernel.loader.ImageReclaim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NullDriverCycleTest {

  @Test
  void cyclesRepeatAndLeaveNoDriverAndNoImageBehind() throws Exception {
    try (NullDriverCycle cycle = NullDriverCycle.boot(ImageReclaim.DEFAULT_THRESHOLD)) {
      for (int i = 0; i < 3; i++) {
        cycle.run();
      }

      assertThat(cycle.kernel().io().drivers()).noneMatch(d -> d.service().equals("Null"));
      assertThat(cycle.kernel().io().loader().loadedImages()).isEmpty();
    }
  }

  @Test
  void aCycleWhoseLoadFailsThrowsNamingTheStep() throws Exception {
    try (NullDriverCycle cycle = NullDriverCycle.boot(ImageReclaim.DEFAULT_THRESHOLD)) {
      cycle.kernel().shutdown();

      assertThatThrownBy(cycle::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("NtLoadDriver(Null) returned " + ntio.ddk.NtStatus.STATUS_SYSTEM_SHUTDOWN
              + ", not STATUS_SUCCESS");
    }
  }
}
