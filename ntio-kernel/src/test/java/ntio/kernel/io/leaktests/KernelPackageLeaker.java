package ntio.kernel.io.leaktests;

import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * A test driver whose classes sit in a package of the kernel's own: its DriverEntry allocates
 * {@value #SIZE} bytes tagged {@code KLek} through a helper of its own and fails without freeing
 * them. Pool tracking must still name this image's frame as the allocation site, because an image
 * is known by its class loader, not by the package it claims.
 */
public final class KernelPackageLeaker implements DriverEntry {

  /** The leaked block's size. */
  public static final int SIZE = 48;

  /** The leaked block's tag. */
  public static final int TAG = PoolTag.of("KLek");

  public KernelPackageLeaker() {}

  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    PoolResult allocated = allocate(driver);
    return allocated.status().isSuccess() ? NtStatus.STATUS_UNSUCCESSFUL : allocated.status();
  }

  private static PoolResult allocate(DriverObject driver) {
    return driver.services().allocatePoolWithTag(PoolType.NON_PAGED, SIZE, TAG);
  }
}
