package ntio.kernel.io.loadtests.frameworkgap;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * A driver whose image, as the test writes it, imports a framework class this host does not have:
 * the test renames {@link Stand} in its class file to a name in {@code ntio.framework} that does
 * not exist, as a driver built against a newer framework would name one.
 */
public class FrameworkGapDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return Stand.status();
  }
}
