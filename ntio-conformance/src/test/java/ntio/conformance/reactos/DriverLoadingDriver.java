package ntio.conformance.reactos;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * ReactOS's driver-loading test driver. Port of reactos/reactos
 * {@code modules/rostests/win32/DriverLoading/Driver/driver.c} ({@code DriverEntry},
 * {@code DriverUnload}): it sets an unload routine and succeeds. Upstream announces both with
 * DbgPrint; the port records each as a check, so that the test sees that DriverEntry and
 * DriverUnload really ran, in that order.
 */
public final class DriverLoadingDriver implements DriverEntry {

  /** The suite the events are recorded under. */
  static final String SUITE = "ReactOS-DriverLoading";

  /** Needed by the image loader. */
  public DriverLoadingDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KmtChecks ok = KmtChecks.forSuite(driver, SUITE);
    driver.setDriverUnload(d -> ok.ok("DriverUnload: Test driver unloaded", true, null));
    ok.ok("DriverEntry: Test driver loaded", true, null);
    return NtStatus.STATUS_SUCCESS;
  }
}
