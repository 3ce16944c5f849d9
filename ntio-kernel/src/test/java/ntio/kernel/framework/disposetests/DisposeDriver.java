package ntio.kernel.framework.disposetests;

import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfResult;
import ntio.framework.WdfWorkItem;
import ntio.framework.WdfWorkItemConfig;

/**
 * A non-PnP framework driver image for O10: its DriverEntry builds P (under the WDFDRIVER), C
 * (under P) and G (under C), a control device {@code \Device\<service>} and a work item under it,
 * and enqueues the work item, whose callback deletes P. C's cleanup records itself and then waits
 * until the test sets {@code Parameters\Go} (DWORD) non-zero, so the dispose started on the System
 * worker is still in progress when the test unloads the driver. Every callback is recorded, in
 * order, in {@code Observed\Events} (REG_MULTI_SZ), through {@link ObservedEvents}: install the
 * image with that class.
 */
public final class DisposeDriver extends ntio.framework.WdfDriverEntry {

  private ObservedEvents observed;
  private String key;

  public DisposeDriver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    key = registryPath.text();
    observed = new ObservedEvents(driver.services(), key);
    NtStatus created = wdf.driverCreate(driver, registryPath, attributes(null, "D"),
        WdfDriverConfig.nonPnp().driverUnload(d -> record("EvtDriverUnload"))).status();
    if (!created.isSuccess()) {
      return created;
    }
    WdfObject p = wdf.objectCreate(attributes(wdf.getDriver(), "P")).handle();
    WdfObject c = wdf.objectCreate(WdfObjectAttributes.init().parentObject(p)
        .cleanupCallback(o -> {
          record("cleanup(C)");
          awaitGo();
          record("cleanup(C) ends");
        })
        .destroyCallback(o -> record("destroy(C)"))).handle();
    wdf.objectCreate(attributes(c, "G"));
    String name = key.substring(key.lastIndexOf('\\') + 1);
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    wdf.deviceInitAssignName(init, "\\Device\\" + name);
    WdfResult<WdfDevice> device = wdf.deviceCreate(init, attributes(null, "Dev"));
    if (!device.isSuccess()) {
      return device.status();
    }
    WdfResult<WdfWorkItem> item = wdf.workItemCreate(WdfWorkItemConfig.init(w -> {
      record("work item deletes P on " + (Thread.currentThread().getName().startsWith("ntio worker")
          ? "a System worker" : Thread.currentThread().getName()));
      wdf.objectDelete(p);
      record("work item returns");
    }), attributes(device.handle(), "W"));
    if (!item.isSuccess()) {
      return item.status();
    }
    wdf.controlFinishInitializing(device.handle());
    wdf.workItemEnqueue(item.handle());
    return NtStatus.STATUS_SUCCESS;
  }

  private WdfObjectAttributes attributes(WdfObject parent, String name) {
    WdfObjectAttributes attributes = WdfObjectAttributes.init()
        .cleanupCallback(o -> record("cleanup(" + name + ")"))
        .destroyCallback(o -> record("destroy(" + name + ")"));
    return parent == null ? attributes : attributes.parentObject(parent);
  }

  private void awaitGo() {
    observed.awaitGo();
  }

  private void record(String event) {
    observed.record(event);
  }
}
