package ntio.kernel.loader.denied;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;

/**
 * Names Thread.getContextClassLoader through a subclass of its own, so that the Methodref's class
 * is an image class.
 */
public class InheritedLoaderDriver implements DriverEntry {

  /** A thread whose inherited members the driver calls through this class. */
  public static final class Worker extends Thread {
    ClassLoader loader() {
      return getContextClassLoader();
    }
  }

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return new Worker().loader() == null ? NtStatus.STATUS_UNSUCCESSFUL : NtStatus.STATUS_SUCCESS;
  }
}
