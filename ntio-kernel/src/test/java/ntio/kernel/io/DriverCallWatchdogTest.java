package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ntio.ddk.DriverFlags;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.DriverCallContextTest.Gate;
import ntio.kernel.io.hangtests.GatedDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DriverEntry or DriverUnload that does not return is seen: listed as in progress, overdue past
 * the configured limit, and its driver object says START_PENDING (no DRVO_INITIALIZED) or
 * STOP_PENDING (DRVO_UNLOAD_INVOKED). Loads stay serialized behind it, as NT's are.
 */
@Timeout(30)
class DriverCallWatchdogTest {

  @TempDir Path state;

  private KernelConfig config() {
    return KernelConfig.of(state).withDriverCallTimeout(Duration.ofMillis(50));
  }

  @Test
  void aHungDriverEntryIsOverdueAndItsDriverIsNotInitialized() throws Exception {
    try (Kernel kernel = Kernel.boot(config())) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverCallContextTest.install(fixture, "HangEntry");
      CompletableFuture<?> load = CompletableFuture.supplyAsync(() -> fixture.load("HangEntry"));
      Gate gate = Gate.of(fixture, "\\Driver\\HangEntry", "DriverEntry");

      LoadFixture.awaitTrue("DriverEntry overdue",
          () -> !kernel.io().driverCalls().overdue().isEmpty());
      DriverCallWatchdog.DriverCall call = kernel.io().driverCalls().overdue().get(0);
      assertThat(call.routine()).isEqualTo("DriverEntry");
      assertThat(call.driver()).isEqualTo("\\Driver\\HangEntry");
      assertThat(call.service()).isEqualTo("HangEntry");
      assertThat(call.describeWithStack()).contains(GatedDriver.class.getName() + ".enter");
      assertThat(kernel.io().driver("\\Driver\\HangEntry").orElseThrow().flags()
          & DriverFlags.DRVO_INITIALIZED).isZero();

      gate.release();
      assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
      assertThat(kernel.io().driverCalls().inProgress()).isEmpty();
      assertThat(kernel.io().driver("\\Driver\\HangEntry").orElseThrow().flags()
          & DriverFlags.DRVO_INITIALIZED).isNotZero();
    }
  }

  @Test
  void anotherLoadWaitsForAHungDriverEntryAsNtSerializesLoads() throws Exception {
    try (Kernel kernel = Kernel.boot(config())) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverCallContextTest.install(fixture, "HangEntry");
      DriverCallContextTest.install(fixture, "Plain");
      CompletableFuture<?> hung = CompletableFuture.supplyAsync(() -> fixture.load("HangEntry"));
      Gate gate = Gate.of(fixture, "\\Driver\\HangEntry", "DriverEntry");

      CompletableFuture<?> other = CompletableFuture.supplyAsync(() -> fixture.load("Plain"));
      LoadFixture.awaitTrue("DriverEntry overdue",
          () -> !kernel.io().driverCalls().overdue().isEmpty());

      assertThat(other).isNotDone();
      assertThat(fixture.driverExists("\\Driver\\Plain")).isFalse();
      gate.release();
      assertThat(hung.get(10, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
      assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void aHungDriverUnloadIsOverdueAndItsDriverIsUnloadInvoked() throws Exception {
    try (Kernel kernel = Kernel.boot(config())) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverCallContextTest.install(fixture, "HangUnload");
      assertThat(fixture.load("HangUnload")).isEqualTo(STATUS_SUCCESS);
      Gate loaded = Gate.of(fixture, "\\Driver\\HangUnload", "DriverEntry");
      CompletableFuture<?> unload = CompletableFuture.supplyAsync(() -> fixture.unload("HangUnload"));
      Gate gate = loaded.awaiting("DriverUnload");

      LoadFixture.awaitTrue("DriverUnload overdue",
          () -> !kernel.io().driverCalls().overdue().isEmpty());
      assertThat(kernel.io().driverCalls().overdue().get(0).routine()).isEqualTo("DriverUnload");
      assertThat(kernel.io().driver("\\Driver\\HangUnload").orElseThrow().flags()
          & DriverFlags.DRVO_UNLOAD_INVOKED).isNotZero();

      gate.release();
      assertThat(unload.get(10, TimeUnit.SECONDS)).isEqualTo(STATUS_SUCCESS);
      assertThat(kernel.io().driverCalls().inProgress()).isEmpty();
    }
  }
}
