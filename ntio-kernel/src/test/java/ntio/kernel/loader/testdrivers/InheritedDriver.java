package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A DriverEntry through its superclass, which the image also carries. */
public class InheritedDriver extends AbstractDriver {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NtStatus.STATUS_SUCCESS;
  }
}
