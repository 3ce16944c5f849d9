package ntio.kernel.io.hangtests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ntio.ddk.DeviceObject;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DispatchRoutine;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.DriverUnload;
import ntio.ddk.IoControlCodes;
import ntio.ddk.Irp;
import ntio.ddk.KernelServices;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A test driver that records the thread running each of its routines in {@link #ENTERED} and, in
 * the routine its service's name says, waits for {@link #RELEASE} (at most a minute): service
 * {@code HangEntry} in DriverEntry, {@code HangCreate} in its IRP_MJ_CREATE dispatch routine,
 * {@code HangUnload} in DriverUnload; any other service never waits. Its device is {@code
 * \Device\<service>}. DriverEntry also sets an uncaught-exception handler on the kernel's thread,
 * which the kernel must not let outlive the call.
 *
 * <p>Each load has its own copy of the class and so of the statics; a test reads them through
 * the driver object's {@code driverInit().getClass()}.
 */
public final class GatedDriver implements DriverEntry, DispatchRoutine, DriverUnload {

  /** The thread each routine ran on, by routine: DriverEntry, Create, DriverUnload. */
  public static final Map<String, Thread> ENTERED = new ConcurrentHashMap<>();

  /** Counted down by the test to let the waiting routine return. */
  public static final CountDownLatch RELEASE = new CountDownLatch(1);

  private final Map<String, String> hangs = new ConcurrentHashMap<>();

  public GatedDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    String path = registryPath.text();
    String service = path.substring(path.lastIndexOf('\\') + 1);
    hangs.put("service", service);
    Thread.currentThread().setUncaughtExceptionHandler((thread, thrown) -> { });
    enter("DriverEntry", service.equals("HangEntry"));
    KernelServices.DeviceResult device = driver.services().createDevice(driver, null,
        UnicodeString.of("\\Device\\" + service), DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (!device.status().isSuccess()) {
      return device.status();
    }
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CREATE, this);
    driver.setMajorFunction(MajorFunctions.IRP_MJ_CLOSE, this);
    driver.setDriverUnload(this);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public NtStatus dispatch(DeviceObject device, Irp irp) {
    if (irp.currentStackLocation().majorFunction() == MajorFunctions.IRP_MJ_CREATE) {
      enter("Create", "HangCreate".equals(hangs.get("service")));
    }
    irp.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    irp.ioStatus().setInformation(0);
    device.driverObject().services().completeRequest(irp, IoControlCodes.IO_NO_INCREMENT);
    return NtStatus.STATUS_SUCCESS;
  }

  @Override
  public void unload(DriverObject driver) {
    enter("DriverUnload", "HangUnload".equals(hangs.get("service")));
    while (driver.deviceObject() != null) {
      driver.services().deleteDevice(driver.deviceObject());
    }
  }

  private static void enter(String routine, boolean wait) {
    ENTERED.put(routine, Thread.currentThread());
    if (wait) {
      try {
        RELEASE.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
