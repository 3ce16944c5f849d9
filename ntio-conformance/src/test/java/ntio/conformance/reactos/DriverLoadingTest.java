package ntio.conformance.reactos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import ntio.api.LuidAndAttributes;
import ntio.api.Privilege;
import ntio.conformance.ConformanceHost;
import ntio.conformance.KernelResults;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.host.wire.RemoteNt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Port of reactos/reactos {@code modules/rostests/win32/DriverLoading}: the application's
 * {@code UndocumentedMethod} ({@code Application/main.c}) with its {@code NtStartDriver} and
 * {@code NtStopDriver} ({@code Application/undoc.c}), against the test driver of
 * {@code Driver/driver.c} ({@link DriverLoadingDriver}).
 *
 * <p>Upstream prints rather than checks; what it takes for success is what this asserts: each
 * call returns STATUS_SUCCESS, the privilege is enabled around it and disabled after, and the
 * driver's DriverEntry and then its DriverUnload ran ("Test driver loaded/unloaded
 * sucessfully").
 *
 * <p>Not ported (see {@code docs/conformance/reactos.md}): {@code UsermodeMethod},
 * {@code Initialize} and {@code Uninitialize}, which go through the service control manager, and
 * {@code SneakyUndocumentedMethods} ({@code NtSetSystemInformation} with
 * SystemLoadGdiDriverInformation or SystemExtendServiceTableInformation, and {@code ConvertPath}'s
 * NtQueryObject of a file on disk): ntio has no SCM, no NtSetSystemInformation and no file system.
 */
class DriverLoadingTest {

  private static final String SERVICE = "DriverLoadingTest";

  private ConformanceHost host;
  private RemoteNt client;

  @BeforeEach
  void install() {
    host = ConformanceHost.start();
    host.installDriver(SERVICE, DriverLoadingDriver.class, KmtChecks.class);
    client = host.connect("DriverTester");
  }

  @AfterEach
  void stop() {
    host.close();
  }

  /** undoc.c {@code SetPrivilege}. */
  private boolean setPrivilege(boolean enable) {
    NtStatus status = client.adjustPrivileges(List.of(enable
        ? LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE)
        : LuidAndAttributes.disable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status();
    return status.equals(NtStatus.STATUS_SUCCESS);
  }

  /** main.c {@code UndocumentedMethod}: start with NtLoadDriver, stop with NtUnloadDriver. */
  @Test
  void undocumentedMethodStartsAndStopsTheDriverThroughTheNativeApi() {
    UnicodeString driverPath = UnicodeString.of(ConformanceHost.SERVICES + SERVICE);

    // NtStartDriver
    assertThat(setPrivilege(true)).as("SetPrivilege(TRUE) before NtLoadDriver").isTrue();
    assertThat(KernelChecks.bounded("NtLoadDriver", () -> client.loadDriver(driverPath)))
        .as("NtLoadDriver").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(setPrivilege(false)).as("SetPrivilege(FALSE) after NtLoadDriver").isTrue();

    // NtStopDriver
    assertThat(setPrivilege(true)).as("SetPrivilege(TRUE) before NtUnloadDriver").isTrue();
    assertThat(KernelChecks.bounded("NtUnloadDriver", () -> client.unloadDriver(driverPath)))
        .as("NtUnloadDriver").isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(setPrivilege(false)).as("SetPrivilege(FALSE) after NtUnloadDriver").isTrue();

    KernelResults events = KernelResults.read(client, DriverLoadingDriver.SUITE);
    assertThat(events.checks()).extracting(KernelResults.Check::text).containsExactly(
        "DriverEntry: Test driver loaded", "DriverUnload: Test driver unloaded");
    events.assertAllPassed();
  }
}
