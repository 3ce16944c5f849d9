package ntio.kernel.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import ntio.api.VerifierSettings;
import org.junit.jupiter.api.Test;

/** DV1's values as the verifier reads them, and DV3's standard mask. */
class VerifierSettingsTest {

  @Test
  void DV1_verifyDriversIsASpaceSeparatedListOfImageNamesMatchedWithoutRegardToCase() {
    VerifierSettings settings = VerifierSettings.parse(" Leaky.jar   echo.JAR ", 0x8);

    assertThat(settings.verifies("leaky.jar")).isTrue();
    assertThat(settings.verifies("Echo.jar")).isTrue();
    assertThat(settings.verifies("Null.jar")).isFalse();
  }

  @Test
  void DV1_anAsteriskVerifiesEveryImage() {
    assertThat(VerifierSettings.parse("*", 0x8).verifies("Anything.jar")).isTrue();
  }

  @Test
  void DV1_noVerifyDriversMeansNothingIsVerified() {
    assertThat(VerifierSettings.parse(null, 0x209BB).verifies("Leaky.jar")).isFalse();
    assertThat(VerifierSettings.parse("   ", 0x209BB).verifies("Leaky.jar")).isFalse();
  }

  @Test
  void DV3_withoutVerifyDriverLevelTheStandardFlagsApplyAndTheyIncludePoolTracking() {
    VerifierSettings settings = VerifierSettings.parse("Leaky.jar", null);

    assertThat(settings.flags()).isEqualTo(0x209BB);
    assertThat(new VerifiedImage("Leaky.jar", settings.flags()).tracksPool()).isTrue();
  }

  @Test
  void DV3_aLevelOfZeroVerifiesNothing() {
    assertThat(VerifierSettings.parse("Leaky.jar", 0).verifies("Leaky.jar")).isFalse();
  }
}
