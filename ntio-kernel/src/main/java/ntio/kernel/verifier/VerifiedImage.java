package ntio.kernel.verifier;

/**
 * One image under the verifier, with the flags it was loaded with (the configuration is read when
 * a driver loads, DV1). No NT counterpart beyond the verifier's per-driver record.
 *
 * @param imageName the image's file name, such as {@code Leaky.jar}
 * @param flags the {@code VerifyDriverLevel} bits in force for it
 */
public record VerifiedImage(String imageName, int flags) {

  /** Whether pool tracking (0x8) is on: allocations record their site, and unload scans them. */
  public boolean tracksPool() {
    return (flags & VerifierSettings.POOL_TRACKING) != 0;
  }

  /** Whether Miscellaneous Checks (0x800) are on: the unload scan looks for trace providers. */
  public boolean miscellaneousChecks() {
    return (flags & VerifierSettings.MISCELLANEOUS_CHECKS) != 0;
  }

  /** Whether I/O verification (0x10) is on: cancelled requests must be completed in time. */
  public boolean verifiesIo() {
    return (flags & VerifierSettings.IO_VERIFICATION) != 0;
  }
}
