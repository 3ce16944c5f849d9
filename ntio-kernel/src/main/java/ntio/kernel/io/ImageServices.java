package ntio.kernel.io;

import ntio.ddk.KernelServices;
import ntio.kernel.verifier.VerifiedImage;

/**
 * One image's import table: the {@link KernelServices} its driver calls, as the I/O manager sees
 * it. Each image has its own, so the kernel knows which driver made each call.
 *
 * <p>An unverified image's table is {@link ImageImports}, the kernel's routines themselves. A
 * verified image's is {@link VerifierThunks}: the verifier's checks, fault injection and pool
 * tracking around the same routines, as Driver Verifier thunks a verified driver's imports. The
 * rest of the I/O manager tells them apart by {@link #verified()} alone.
 */
interface ImageServices extends KernelServices {

  /** The verifier's record of this image, or null when it is not verified. */
  VerifiedImage verified();

  /** The image's name for reports, or the service's for a builtin driver. */
  String driverName();

  /** What this image has running or registered that could outlive its code. */
  ImageResources resources();

  /** The image is gone: every later call is a bug check. */
  void markUnloaded();
}
