package ntio.kernel.loader.denied;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** Reaches System.exit by name, so that no Methodref to it appears in the class file. */
public class ReflectiveExitDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    try {
      Class.forName("java.lang." + "System").getMethod("exit", int.class).invoke(null, 1);
    } catch (ReflectiveOperationException e) {
      return NtStatus.STATUS_UNSUCCESSFUL;
    }
    return NtStatus.STATUS_SUCCESS;
  }
}
