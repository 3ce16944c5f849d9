package ntio.kernel.io.loadtests.kernelref;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;

/**
 * A driver image that reaches for a kernel class: its class file names {@code ntio.kernel.Kernel},
 * which no image may link against.
 */
public final class KernelReferencingDriver implements DriverEntry {

  /** Called by the loader; never, since the image does not pass the import check. */
  public KernelReferencingDriver() {}

  /** Would succeed only when handed the kernel itself, which it never is. */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return isKernel(driver) ? NtStatus.STATUS_SUCCESS : NtStatus.STATUS_UNSUCCESSFUL;
  }

  private static boolean isKernel(Object candidate) {
    return candidate instanceof Kernel;
  }
}
