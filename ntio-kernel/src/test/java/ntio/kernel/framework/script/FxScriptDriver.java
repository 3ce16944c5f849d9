package ntio.kernel.framework.script;

import java.util.ArrayList;
import java.util.List;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.KernelServices.ValueResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.framework.InflightTrace;
import ntio.framework.Wdf;
import ntio.framework.WdfDevice;
import ntio.framework.WdfDeviceInit;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
import ntio.framework.WdfMemory;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfResult;

/**
 * A framework driver image whose DriverEntry follows the steps in its service's {@code
 * Parameters\Script} (REG_MULTI_SZ) and records each callback, in order, in {@code
 * Observed\Events} — so a test can load and unload it through the real kernel and read back the
 * event log. It links against the DDK and the framework only, as any image must.
 *
 * <p>Steps: {@code wppInit}; {@code wppCleanupInDriverCleanup} / {@code wppCleanupInUnload} (where
 * the WPP cleanup goes); {@code driverCreate}; {@code driverCreateNoUnload}; {@code
 * driverCreateBadSize}; {@code memory} (M, parented to the driver by default); {@code
 * memoryTracesInCleanup}; {@code holdMemory} (an extra reference never released); {@code object}
 * (a WDFOBJECT, parented to the driver by default); {@code device} (a control device {@code
 * \Device\<service><n>}); {@code wppCleanupInEntry}; {@code fail} (return
 * STATUS_INSUFFICIENT_RESOURCES).
 */
public final class FxScriptDriver extends WdfDriverEntry {

  private final List<String> events = new ArrayList<>();
  private KernelServices services;
  private String observedKey;
  private InflightTrace trace;
  private boolean wppInDriverCleanup;
  private boolean wppInUnload;
  private boolean memoryTraces;
  private int devices;

  public FxScriptDriver() {}

  @Override
  protected NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
    services = driver.services();
    observedKey = registryPath.text() + "\\Observed";
    note("VerifierOn", String.valueOf(wdf.verifierSettings().verifierOn()));
    WdfMemory memory = null;
    for (String step : script(registryPath)) {
      switch (step) {
        case "wppInit" -> trace = InflightTrace.init(driver, registryPath);
        case "wppCleanupInDriverCleanup" -> wppInDriverCleanup = true;
        case "wppCleanupInUnload" -> wppInUnload = true;
        case "memoryTracesInCleanup" -> memoryTraces = true;
        case "driverCreate", "driverCreateNoUnload", "driverCreateBadSize" -> {
          WdfDriverConfig config = WdfDriverConfig.nonPnp();
          if (!step.equals("driverCreateNoUnload")) {
            config.driverUnload(d -> {
              record("EvtDriverUnload");
              if (wppInUnload) {
                wppCleanup(driver);
              }
            });
          }
          if (step.equals("driverCreateBadSize")) {
            config.size(WdfDriverConfig.SIZE + 4);
          }
          WdfObjectAttributes attributes = WdfObjectAttributes.init()
              .cleanupCallback(d -> {
                record("cleanup(D)");
                if (wppInDriverCleanup) {
                  wppCleanup(driver);
                }
              })
              .destroyCallback(d -> record("destroy(D)"));
          NtStatus created = wdf.driverCreate(driver, registryPath, attributes, config).status();
          note("DriverCreate", created.name());
          note("Tag", PoolTag.toString(wdf.poolTag()));
          if (!created.isSuccess()) {
            return created;
          }
        }
        case "memory" -> {
          WdfResult<WdfMemory> created = wdf.memoryCreate(WdfObjectAttributes.init()
              .cleanupCallback(m -> {
                record("cleanup(M)");
                if (memoryTraces && trace != null) {
                  trace.trace("M is being cleaned up");
                }
              })
              .destroyCallback(m -> record("destroy(M)")), PoolType.NON_PAGED, 0, 32);
          if (!created.isSuccess()) {
            return created.status();
          }
          memory = created.handle();
        }
        case "holdMemory" -> wdf.objectReference(memory);
        case "object" -> {
          NtStatus created = wdf.objectCreate(null).status();
          if (!created.isSuccess()) {
            return created;
          }
        }
        case "device" -> {
          NtStatus created = controlDevice(wdf, registryPath);
          if (!created.isSuccess()) {
            return created;
          }
        }
        case "wppCleanupInEntry" -> wppCleanup(driver);
        case "fail" -> {
          return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
        }
        default -> {
          note("Error", "unknown step " + step);
          return NtStatus.STATUS_INVALID_PARAMETER;
        }
      }
    }
    return NtStatus.STATUS_SUCCESS;
  }

  /** A control device {@code \Device\<service><n>}, n counting from 0, ready for I/O. */
  private NtStatus controlDevice(Wdf wdf, UnicodeString registryPath) {
    String service = registryPath.text().substring(registryPath.text().lastIndexOf('\\') + 1);
    WdfDeviceInit init = wdf.controlDeviceInitAllocate(wdf.getDriver(), null);
    if (init == null) {
      return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
    }
    NtStatus named = wdf.deviceInitAssignName(init, "\\Device\\" + service + devices++);
    if (!named.isSuccess()) {
      wdf.deviceInitFree(init);
      return named;
    }
    WdfResult<WdfDevice> device = wdf.deviceCreate(init, null);
    if (!device.isSuccess()) {
      return device.status();
    }
    wdf.controlFinishInitializing(device.handle());
    return NtStatus.STATUS_SUCCESS;
  }

  private void wppCleanup(DriverObject driver) {
    record("wppCleanup");
    trace.cleanup(driver);
  }

  private List<String> script(UnicodeString registryPath) {
    HandleResult key = services.openKey(UnicodeString.of(registryPath.text() + "\\Parameters"), AccessMask.KEY_READ);
    if (!key.status().isSuccess()) {
      return List.of();
    }
    try {
      ValueResult value = services.queryValueKey(key.handle(), UnicodeString.of("Script"));
      return value.status().isSuccess() ? value.value().multiStringValue().orElse(List.of()) : List.of();
    } finally {
      services.close(key.handle());
    }
  }

  private void record(String event) {
    events.add(event);
    write(RegValue.multiString("Events", events));
  }

  private void note(String name, String value) {
    write(RegValue.string(name, value));
  }

  private void write(RegValue value) {
    HandleResult key = services.createKey(UnicodeString.of(observedKey), AccessMask.KEY_ALL_ACCESS, 0);
    if (!key.status().isSuccess()) {
      return;
    }
    Handle handle = key.handle();
    try {
      services.setValueKey(handle, value);
    } finally {
      services.close(handle);
    }
  }
}
