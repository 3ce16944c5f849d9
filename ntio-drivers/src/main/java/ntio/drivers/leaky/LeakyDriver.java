package ntio.drivers.leaky;

import java.nio.charset.StandardCharsets;
import ntio.ddk.DriverEntry;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices.PoolResult;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolBlock;
import ntio.ddk.UnicodeString;

/**
 * The Leaky driver's image entry point ({@code Ntio-Driver-Entry} of {@code Leaky.jar}).
 *
 * <p><strong>This driver is wrong on purpose.</strong> DriverEntry allocates {@value
 * LeakyPool#SIZE} bytes of non-paged pool tagged {@code Leak}, writes into them, and then fails
 * with {@code STATUS_INSUFFICIENT_RESOURCES} without freeing them — the classic error-path leak. A
 * correct driver frees on its error path, because the I/O manager never calls DriverUnload after
 * a failed DriverEntry (and this one sets none). Loading it must make the verifier report the
 * block as leaked by this driver when the image is unmapped.
 */
public final class LeakyDriver implements DriverEntry {

  /** Called by the loader, once per load of the image. */
  public LeakyDriver() {}

  /**
   * Allocates and fills the block, then fails without freeing it. Models a buggy
   * {@code DriverEntry} (full).
   *
   * @return {@code STATUS_INSUFFICIENT_RESOURCES} with the block leaked; or the status of the
   *     failed allocation, with nothing leaked
   */
  @Override
  public NtStatus driverEntry(DriverObject driver, UnicodeString registryPath) {
    PoolResult allocated =
        driver.services().allocatePoolWithTag(LeakyPool.TYPE, LeakyPool.SIZE, LeakyPool.TAG);
    if (!allocated.status().isSuccess()) {
      return allocated.status();
    }
    PoolBlock block = allocated.block();
    block.fill((byte) 0);
    block.write(0, "allocated by Leaky, never freed".getBytes(StandardCharsets.US_ASCII));
    // The bug: the block should be freed here, before failing.
    return NtStatus.STATUS_INSUFFICIENT_RESOURCES;
  }
}
