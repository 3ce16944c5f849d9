package ntio.framework;

import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * The entry stub linked into every framework driver. Models the WDK's {@code FxDriverEntry} /
 * {@code FxDriverEntryWorker} / {@code FxStubDriverUnload} (S21) with {@code WdfVersionBind} and
 * {@code WdfVersionUnbind} / {@code FxLibraryCommonUnregisterClient} (S7; L6).
 */
final class FxStub {

  private FxStub() {}

  /**
   * Binds, runs the driver's entry, and then either unbinds (failure: delete the WDFDRIVER if
   * there is one — its callbacks run, EvtDriverUnload does not — then {@code FxDestroy}) or, on
   * success with DisplaceDriverUnload, puts the stub's unload routine in front of the framework's.
   */
  static NtStatus driverEntry(DriverObject driver, UnicodeString registryPath, WdfEntry entry) {
    FxGlobals globals = FxGlobals.bind(driver, registryPath);
    if (globals == null) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    NtStatus status = entry.entry(globals.wdf, driver, registryPath);
    if (!status.isSuccess()) {
      unbind(globals);
      return status;
    }
    if (globals.displaceDriverUnload()) {
      DriverUnload frameworkUnload = driver.driverUnload();
      driver.setDriverUnload(unloading -> {
        if (frameworkUnload != null) {
          frameworkUnload.unload(unloading);
        }
        unbind(globals);
      });
    }
    return status;
  }

  /**
   * The common unbind path. Models {@code FxLibraryCommonUnregisterClient}: a WDFDRIVER still
   * present (DriverEntry failed) is deleted — its whole tree's cleanup and destroy callbacks run —
   * then the globals are destroyed, waiting for outstanding work and reporting framework leaks.
   */
  static void unbind(FxGlobals globals) {
    WdfDriver driver = globals.driver();
    if (driver != null) {
      driver.delete(false);
      globals.clearDriver();
    }
    globals.destroy();
  }
}
