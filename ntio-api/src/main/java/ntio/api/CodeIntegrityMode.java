package ntio.api;

/**
 * How the loader treats an image's signature: Windows' driver signature enforcement and the two
 * boot options that relax it ({@code bcdedit /set nointegritychecks on}, {@code bcdedit /set
 * testsigning on}).
 *
 * <p>The mode is read from the registry at every map, so a change applies to the next load, not
 * to images already mapped (as on Windows, where it applies at the next boot).
 */
public enum CodeIntegrityMode {
  /**
   * {@code nointegritychecks on}: signatures are not looked at. The image's signer reads {@code not
   * checked}.
   */
  OFF,
  /**
   * Neither boot option has ever been set: every image is verified and its signer recorded, and an
   * image that {@link #ENFORCED} would refuse is loaded with a WARN event naming why (Windows Code
   * Integrity's audit mode). The mode of a fresh state directory; setting either option leaves it.
   */
  AUDIT,
  /**
   * {@code testsigning on}: any valid signature is accepted; one that chains to no trusted
   * publisher loads with a WARN event naming the image and its signer. Unsigned, partly signed or
   * tampered images are {@code STATUS_INVALID_IMAGE_HASH}.
   */
  TEST_SIGNING,
  /**
   * Both options off (Windows x64's default): an image must be wholly signed, unaltered, by a
   * signer whose chain reaches a trusted publisher; anything else is {@code
   * STATUS_INVALID_IMAGE_HASH}.
   */
  ENFORCED
}
