package ntio.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import ntio.api.DriverInfo;
import ntio.ddk.DriverFlags;
import org.junit.jupiter.api.Test;

/**
 * How {@code sc query} and {@code driverquery} name a driver's state from what the kernel reports:
 * a DriverEntry still running (no DRVO_INITIALIZED) is START_PENDING, a DriverUnload invoked is
 * STOP_PENDING.
 */
class ScCommandStateTest {

  private static DriverInfo driver(int flags, boolean unloadPending) {
    return new DriverInfo("\\Driver\\Hang", "Hang", "System32\\drivers\\Hang.jar", flags, 0, 0,
        unloadPending, 1, "unsigned");
  }

  @Test
  void aDriverWhoseDriverEntryHasNotReturnedIsStartPending() {
    assertThat(ScCommand.stateOf(Optional.of(driver(DriverFlags.DRVO_LEGACY_DRIVER, false))))
        .isEqualTo(ScCommand.State.START_PENDING);
    assertThat(ScCommand.State.START_PENDING.code).isEqualTo(2);
  }

  @Test
  void aDriverWhoseDriverUnloadIsRunningIsStopPending() {
    int flags = DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED
        | DriverFlags.DRVO_UNLOAD_INVOKED;
    assertThat(ScCommand.stateOf(Optional.of(driver(flags, false))))
        .isEqualTo(ScCommand.State.STOP_PENDING);
  }

  @Test
  void anInitializedDriverIsRunningAndAnUnloadWaitingForHandlesIsStopPending() {
    int flags = DriverFlags.DRVO_LEGACY_DRIVER | DriverFlags.DRVO_INITIALIZED;
    assertThat(ScCommand.stateOf(Optional.of(driver(flags, false))))
        .isEqualTo(ScCommand.State.RUNNING);
    assertThat(ScCommand.stateOf(Optional.of(driver(flags, true))))
        .isEqualTo(ScCommand.State.STOP_PENDING);
    assertThat(ScCommand.stateOf(Optional.empty())).isEqualTo(ScCommand.State.STOPPED);
  }
}
