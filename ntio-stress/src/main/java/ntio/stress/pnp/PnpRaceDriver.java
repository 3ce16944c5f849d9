package ntio.stress.pnp;

import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.AccessMask;
import ntio.ddk.AddDevice;
import ntio.ddk.DeviceFlags;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.KernelServices.DeviceResult;
import ntio.ddk.KernelServices.HandleResult;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.PnpMinorFunctions;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The removal race's function driver ({@code Ntio-Driver-Entry} of {@code Pnp.jar}, a WDM
 * image): AddDevice creates the FDO {@code \Device\<service>} on the root PDO; the FDO opens and
 * closes; and what the race judges is left in the registry under the service key, one value per
 * event so that two events — even concurrent ones — leave two values:
 *
 * <ul>
 *   <li>{@code Remove<n>}: the n-th IRP_MN_REMOVE_DEVICE of this load, with the number of opens
 *       not yet closed (IRP_MJ_CREATE minus IRP_MJ_CLOSE) as its data: anything but 0 is a
 *       REMOVE_DEVICE sent while a handle was open;
 *   <li>{@code DriverUnload<n>}: the n-th DriverUnload of this load.
 * </ul>
 *
 * <p>Keeps NT's contract (T39): REMOVE_DEVICE is passed down, then the FDO detached and deleted.
 * One class is entry point, AddDevice, dispatch routine and unload routine, so a load defines one
 * class and links no lambdas: cheap enough for a jcstress state per race.
 */
public final class PnpRaceDriver implements DriverEntry, AddDevice, DispatchRoutine, DriverUnload {

  /** The prefix of the values REMOVE_DEVICE writes. */
  public static final String REMOVE_VALUE_PREFIX = "Remove";
  /** The prefix of the values DriverUnload writes. */
  public static final String UNLOAD_VALUE_PREFIX = "DriverUnload";

  private static final int IO_NO_INCREMENT = 0;

  private final AtomicInteger opens = new AtomicInteger();
  private final AtomicInteger removes = new AtomicInteger();
  private final AtomicInteger unloads = new AtomicInteger();
  private volatile UnicodeString serviceKey;
  private volatile String service;
  private volatile DeviceObject lower;

  /** Called by the loader, once per load of the image. */
  public PnpRaceDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    String path = registryPath.text();
    service = path.substring(path.lastIndexOf('\\') + 1);
    serviceKey = UnicodeString.of(path);
    driver.driverExtension().setAddDevice(this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_PNP, this);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Creates {@code \Device\<service>} and attaches it to {@code pdo}. */
  @Override
  public NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
    KernelServices services = driver.services();
    DeviceResult created = services.createDevice(driver, null, UnicodeString.of("\\Device\\" + service),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    DeviceResult attached = services.attachDeviceToDeviceStack(created.device(), pdo);
    if (!attached.status().isSuccess()) {
      services.deleteDevice(created.device());
      return attached.status();
    }
    lower = attached.device();
    created.device().clearFlags(DeviceFlags.DO_DEVICE_INITIALIZING);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Create, cleanup and close succeed (counting opens); PnP IRPs go down the stack. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    KernelServices services = device.driverObject().services();
    int major = irp.currentStackLocation().majorFunction();
    if (major == MajorFunctions.IRP_MJ_PNP) {
      if (irp.currentStackLocation().minorFunction() == PnpMinorFunctions.IRP_MN_REMOVE_DEVICE) {
        int call = removes.incrementAndGet();
        record(services, REMOVE_VALUE_PREFIX + call, opens.get());
        DeviceObject below = lower;
        irp.skipCurrentStackLocation();
        NtStatus status = services.callDriver(below, irp);
        services.detachDevice(below);
        services.deleteDevice(device);
        return status;
      }
      irp.skipCurrentStackLocation();
      return services.callDriver(lower, irp);
    }
    if (major == MajorFunctions.IRP_MJ_CREATE) {
      opens.incrementAndGet();
    } else if (major == MajorFunctions.IRP_MJ_CLOSE) {
      opens.decrementAndGet();
    }
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    services.completeRequest(irp, IO_NO_INCREMENT);
    return NtStatus.STATUS_SUCCESS;
  }

  /** DriverUnload: records the call; the FDO is gone already (the PnP manager unloads after). */
  @Override
  public void unload(DriverObject driver) {
    int call = unloads.incrementAndGet();
    record(driver.services(), UNLOAD_VALUE_PREFIX + call, call);
  }

  /** A failure to record is not hidden: without its value the race sees a missing event. */
  private void record(KernelServices services, String name, int data) {
    HandleResult key = services.openKey(serviceKey, AccessMask.KEY_SET_VALUE);
    if (key.status().isSuccess()) {
      services.setValueKey(key.handle(), RegValue.dword(name, data));
      services.close(key.handle());
    }
  }
}
