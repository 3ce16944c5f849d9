package ntio.kernel.framework.disposetests;

import ntio.ddk.DriverObject;
import ntio.ddk.Irql;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfResult;
import ntio.framework.WdfTimer;
import ntio.framework.WdfTimerConfig;

/**
 * A non-PnP framework driver image for O10 at DISPATCH_LEVEL: its DriverEntry creates a control
 * device {@code \Device\<service>} and a timer T under it, raises to DISPATCH_LEVEL, deletes T
 * (which must be disposed at PASSIVE_LEVEL, so the delete goes to the driver's dispose list) and
 * lowers again. T's cleanup records the IRQL it runs at and then waits until the test sets {@code
 * Parameters\Go}, so the deferred dispose is still in progress when the test unloads the driver.
 * Events go to {@code Observed\Events} ({@link ObservedEvents}); install the image with
 * that class.
 */
public final class DeferredDisposeDriver extends ntio.framework.WdfDriverEntry {

  private ObservedEvents observed;

  public DeferredDisposeDriver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    String key = registryPath.text();
    observed = new ObservedEvents(services, key);
    NtStatus created = wdf.driverCreate(driver, registryPath, WdfObjectAttributes.init()
            .cleanupCallback(o -> observed.record("cleanup(D) at " + services.getCurrentIrql())),
        WdfDriverConfig.nonPnp().driverUnload(d -> observed.record("EvtDriverUnload"))).status();
    if (!created.isSuccess()) {
      return created;
    }
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, "\\Device\\" + key.substring(key.lastIndexOf('\\') + 1));
    WdfResult<WdfDevice> device = wdf.deviceCreate(init, null);
    if (!device.isSuccess()) {
      return device.status();
    }
    WdfResult<WdfTimer> timer = wdf.timerCreate(WdfTimerConfig.init(t -> { }), WdfObjectAttributes.init()
        .parentObject(device.handle())
        .cleanupCallback(o -> {
          observed.record("cleanup(T) at " + services.getCurrentIrql());
          observed.awaitGo();
          observed.record("cleanup(T) ends");
        })
        .destroyCallback(o -> observed.record("destroy(T) at " + services.getCurrentIrql())));
    if (!timer.isSuccess()) {
      return timer.status();
    }
    wdf.controlFinishInitializing(device.handle());
    Irql old = services.raiseIrql(Irql.DISPATCH_LEVEL);
    wdf.objectDelete(timer.handle());
    String deleted = "T deleted at " + services.getCurrentIrql() + ", its cleanup "
        + (timer.handle().stateHistory().contains(ntio.framework.WdfObjectState.DEFERRED_DELETING)
            ? "deferred" : "not deferred");
    services.lowerIrql(old);
    // The registry is PASSIVE_LEVEL only: record once back there.
    observed.record(deleted);
    return NtStatus.STATUS_SUCCESS;
  }
}
