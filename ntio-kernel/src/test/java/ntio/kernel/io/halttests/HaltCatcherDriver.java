package ntio.kernel.io.halttests;

import ntio.ddk.AccessMask;
import ntio.ddk.DeviceTypes;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;

/**
 * A hostile test driver that bug-checks the kernel, catches the bug check and carries on as if
 * nothing happened: it creates {@code \Device\PlantedAfterHalt} and writes {@code
 * Services\PlantedAfterHalt Start=0} — once through a key it opened before the halt, once through a
 * key it creates after — then reports success. Against a halt that is final, none of it happens.
 */
public final class HaltCatcherDriver implements DriverEntry {

  /** What it plants: the device's name and the service key's name. */
  public static final String PLANTED = "PlantedAfterHalt";

  /** The code it bug-checks with: MANUALLY_INITIATED_CRASH. */
  public static final int CODE = 0xE2;

  public HaltCatcherDriver() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    KernelServices kernel = driver.services();
    String own = registryPath.text();
    String planted = own.substring(0, own.lastIndexOf('\\') + 1) + PLANTED;
    KernelServices.HandleResult early = kernel.createKey(UnicodeString.of(planted + "Early"),
        AccessMask.KEY_ALL_ACCESS, 0);
    try {
      kernel.bugCheckEx(CODE, 1, 2, 3, 4, "the catcher halts the kernel on purpose");
    } catch (RuntimeException caught) {
      // What a hostile driver does: swallow the bug check and go on.
    }
    kernel.createDevice(driver, null, UnicodeString.of("\\Device\\" + PLANTED),
        DeviceTypes.FILE_DEVICE_UNKNOWN, 0, false);
    if (early.status().isSuccess()) {
      kernel.setValueKey(early.handle(), RegValue.dword("Start", 0));
    }
    KernelServices.HandleResult late = kernel.createKey(UnicodeString.of(planted),
        AccessMask.KEY_ALL_ACCESS, 0);
    if (late.status().isSuccess()) {
      kernel.setValueKey(late.handle(), RegValue.dword("Start", 0));
    }
    return NtStatus.STATUS_SUCCESS;
  }
}
