package ntio.kernel.loader;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import ntio.api.CodeIntegrityMode;

/**
 * The code-integrity configuration in force for one map: the mode and the trusted publishers
 * (Windows' {@code TrustedPublisher} certificate store).
 *
 * @param mode how signatures are treated
 * @param trustedPublishers the certificates a signer's chain must reach under {@link
 *     CodeIntegrityMode#ENFORCED}; in the order the store lists them
 */
public record CodeIntegritySettings(CodeIntegrityMode mode,
    List<X509Certificate> trustedPublishers) {

  /** Signatures not looked at: what a loader with no configuration uses. */
  public static final CodeIntegritySettings OFF =
      new CodeIntegritySettings(CodeIntegrityMode.OFF, List.of());

  public CodeIntegritySettings {
    Objects.requireNonNull(mode, "mode");
    trustedPublishers = List.copyOf(trustedPublishers);
  }
}
