package ntio.kernel.loader.testdrivers;

import javax.crypto.Cipher;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/** A driver whose only reference to javax.* is the type of a field: a descriptor, no Class entry. */
public class JavaxReferencingDriver implements DriverEntry {

  @SuppressWarnings("unused")
  private Cipher cipher;

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return NtStatus.STATUS_SUCCESS;
  }
}
