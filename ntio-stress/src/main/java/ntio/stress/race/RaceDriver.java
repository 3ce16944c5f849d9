package ntio.stress.race;

import java.util.concurrent.atomic.AtomicInteger;
import ntio.ddk.AccessMask;
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
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * The race test's driver image ({@code Ntio-Driver-Entry} of {@code Race.jar}): one device named
 * after its service, {@code \Device\<service>}, that opens and closes, and a DriverUnload that
 * leaves a trace in the registry.
 *
 * <p>Each DriverUnload call of one load writes its own value under the driver's service key,
 * {@code DriverUnload1}, {@code DriverUnload2}, …, numbered by an atomic counter of this instance,
 * so two calls — even concurrent ones — leave two values and the test can count them. It then
 * deletes the device.
 *
 * <p>One class serves as entry point, dispatch routine and unload routine, so a load defines one
 * class and links no lambdas: loading stays cheap enough for a jcstress state per race.
 */
public final class RaceDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** The prefix of the values DriverUnload writes. */
  public static final String UNLOAD_VALUE_PREFIX = "DriverUnload";

  /** {@code IO_NO_INCREMENT}. */
  private static final int IO_NO_INCREMENT = 0;

  private final AtomicInteger unloads = new AtomicInteger();
  private volatile UnicodeString serviceKey;

  /** Called by the loader, once per load of the image. */
  public RaceDriver() {}

  /**
   * Creates {@code \Device\<service>} and sets the create, cleanup and close routines and
   * DriverUnload. Models a legacy driver's {@code DriverEntry} (full).
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    String path = registryPath.text();
    String service = path.substring(path.lastIndexOf('\\') + 1);
    serviceKey = UnicodeString.of(path);
    DeviceResult created = driver.services().createDevice(driver, null, UnicodeString.of("\\Device\\" + service),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!created.status().isSuccess()) {
      return created.status();
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLEANUP, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  /** Create, cleanup and close all succeed at once. */
  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    device.driverObject().services().completeRequest(irp, IO_NO_INCREMENT);
    return NtStatus.STATUS_SUCCESS;
  }

  /**
   * DriverUnload: records this call as {@code DriverUnload<n>} under the service key, then deletes
   * the device. A failure to record is not hidden: without its value the test sees a missing
   * unload and fails.
   */
  @Override
  public void unload(DriverObject driver) {
    int call = unloads.incrementAndGet();
    KernelServices services = driver.services();
    HandleResult key = services.openKey(serviceKey, AccessMask.KEY_SET_VALUE);
    if (key.status().isSuccess()) {
      services.setValueKey(key.handle(), RegValue.dword(UNLOAD_VALUE_PREFIX + call, call));
      services.close(key.handle());
    }
    DeviceObject device = driver.deviceObject();
    if (device != null) {
      services.deleteDevice(device);
    }
  }
}
