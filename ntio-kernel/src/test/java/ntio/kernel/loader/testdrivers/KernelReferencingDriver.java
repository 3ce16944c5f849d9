package ntio.kernel.loader.testdrivers;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.NtStatus;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.PoolOwner;

/** A driver that reaches into the kernel: its image must never load. */
public class KernelReferencingDriver implements DriverEntry {

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    return PoolOwner.KERNEL.name().isEmpty() ? NtStatus.STATUS_UNSUCCESSFUL : NtStatus.STATUS_SUCCESS;
  }
}
