package ntio.conformance.selftest;

import ntio.conformance.kernel.KernelOk;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver for the harness's own test: one check that passes in DriverEntry, one that fails in
 * DriverUnload, both in the suite {@value #SUITE}.
 */
public final class UnloadCheckDriver implements DriverEntry, DriverUnload {

  /** The suite this driver reports into. */
  public static final String SUITE = "selftest-unload";

  private KernelOk ok;

  public UnloadCheckDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    ok = KernelOk.begin(driver.services(), SUITE);
    ok.ok(registryPath != null, "DriverEntry gets its service key, got %s", registryPath);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    ok.ok(1 + 1 == 3, "a check that fails in DriverUnload (%d)", 42);
  }
}
