package ntio.kernel.verifier;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which driver images the verifier watches and with which checks. Models the {@code
 * VerifyDrivers} and {@code VerifyDriverLevel} values of {@code ...\Session Manager\Memory
 * Management} (DV1) and the flag bits of DV3 (partial: the bits ntio checks are {@link
 * #POOL_TRACKING}; the others are kept and reported).
 *
 * @param images image names as {@code VerifyDrivers} lists them, upper-cased; ignored when
 *     {@code allImages}
 * @param allImages {@code VerifyDrivers} is {@code *}
 * @param flags the {@code VerifyDriverLevel} mask
 */
public record VerifierSettings(Set<String> images, boolean allImages, int flags) {

  /** {@code /standard}: 0x209BB (DV3). */
  public static final int STANDARD_FLAGS = 0x209BB;

  /** Bit 3, 0x8: pool tracking, with the leak check at unload (DV4). */
  public static final int POOL_TRACKING = 0x8;

  /** I/O verification: among its checks, a cancelled IRP its driver never completes. */
  public static final int IO_VERIFICATION = 0x10;

  /** Miscellaneous Checks: among them, at unload, an ETW provider left registered (DV8). */
  public static final int MISCELLANEOUS_CHECKS = 0x800;

  /** No image is verified. */
  public static final VerifierSettings NONE = new VerifierSettings(Set.of(), false, 0);

  public VerifierSettings {
    images = images.stream().map(name -> name.toUpperCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Parses {@code VerifyDrivers}: image names separated by spaces, or {@code *} for all.
   *
   * @param verifyDrivers the REG_SZ, or null when absent (nothing verified)
   * @param verifyDriverLevel the REG_DWORD, or null when absent ({@link #STANDARD_FLAGS})
   */
  public static VerifierSettings parse(String verifyDrivers, Integer verifyDriverLevel) {
    if (verifyDrivers == null || verifyDrivers.isBlank()) {
      return NONE;
    }
    int flags = verifyDriverLevel == null ? STANDARD_FLAGS : verifyDriverLevel;
    Set<String> names = Set.of(verifyDrivers.trim().split("\\s+"));
    return new VerifierSettings(names.contains("*") ? Set.of() : names, names.contains("*"), flags);
  }

  /** Whether {@code imageName} ({@code Leaky.jar}) is verified. */
  public boolean verifies(String imageName) {
    Objects.requireNonNull(imageName, "imageName");
    return flags != 0 && (allImages || images.contains(imageName.toUpperCase(Locale.ROOT)));
  }
}
