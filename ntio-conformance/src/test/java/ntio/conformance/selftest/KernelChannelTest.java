package ntio.conformance.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import ntio.conformance.ConformanceHost;
import ntio.conformance.KernelResults;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness itself: a real host, drivers built at test time and installed through a client, and
 * kernel-mode checks reaching the JUnit test even from DriverUnload. A harness that let a failed
 * or missing kernel check pass would make every port meaningless.
 */
@Timeout(60)
class KernelChannelTest {

  private static ConformanceHost host;

  @BeforeAll
  static void startHost() {
    host = ConformanceHost.start();
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  @Test
  void aKernelCheckThatFailsInDriverUnloadFailsTheTestWithItsIndexAndText() {
    KernelResults.clear(host.admin(), UnloadCheckDriver.SUITE);
    host.installDriver("UnloadCheck", UnloadCheckDriver.class);
    assertThat(host.loadDriver("UnloadCheck")).isEqualTo(NtStatus.STATUS_SUCCESS);
    KernelResults afterEntry = KernelResults.assertAllPassed(host.admin(), UnloadCheckDriver.SUITE);
    assertThat(afterEntry.checks()).hasSize(1);

    assertThat(host.unloadDriver("UnloadCheck")).isEqualTo(NtStatus.STATUS_SUCCESS);

    KernelResults afterUnload = KernelResults.read(host.admin(), UnloadCheckDriver.SUITE);
    assertThat(afterUnload.checks()).extracting(KernelResults.Check::index, KernelResults.Check::passed)
        .containsExactly(tuple(1, true), tuple(2, false));
    assertThatThrownBy(afterUnload::assertAllPassed)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 of 2 kernel checks")
        .hasMessageContaining("#2 fail: a check that fails in DriverUnload (42)");
  }

  @Test
  void aDriverThatRecordedNoCheckFailsTheTest() {
    host.installDriver("Silent", SilentDriver.class);
    assertThat(host.loadDriver("Silent")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(host.unloadDriver("Silent")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThatThrownBy(() -> KernelResults.assertAllPassed(host.admin(), "selftest-silent"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no kernel check was recorded for selftest-silent");
  }

  @Test
  void aClearedSuiteNumbersItsChecksFromOneAgain() {
    KernelResults.clear(host.admin(), UnloadCheckDriver.SUITE);
    assertThat(KernelResults.read(host.admin(), UnloadCheckDriver.SUITE).checks()).isEmpty();
    host.installDriver("UnloadCheckAgain", UnloadCheckDriver.class);
    assertThat(host.loadDriver("UnloadCheckAgain")).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(KernelResults.read(host.admin(), UnloadCheckDriver.SUITE).checks())
        .extracting(KernelResults.Check::index).containsExactly(1);

    assertThat(host.unloadDriver("UnloadCheckAgain")).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(KernelResults.clear(host.admin(), UnloadCheckDriver.SUITE)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }
}
