package ntio.kernel.io;

import static ntio.ddk.NtStatus.STATUS_INVALID_IMAGE_HASH;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import ntio.api.CodeIntegrityMode;
import ntio.ddk.RegValue;
import ntio.kernel.CodeIntegrityRegistry;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.io.loadtests.notentry.NotADriverEntry;
import ntio.kernel.io.loadtests.scripted.ScriptedDriver;
import ntio.kernel.loader.CodeIntegrity;
import ntio.kernel.testing.CodeSigning;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver signature enforcement through NtLoadDriver: real JARs signed by {@code jarsigner} with
 * keys {@code keytool} makes at run time, loaded by the real loader under each mode the registry
 * sets, against the trusted publishers the registry holds.
 */
class SignedImageLoadTest {

  private static final String SERVICE = "Signed";
  private static final String IMAGE = SERVICE + ".jar";
  private static final String RESOURCE = "driver.properties";

  @TempDir static Path keys;
  @TempDir Path state;

  /** A publisher the tests trust. */
  private static CodeSigning.Signer trusted;
  /** A key nobody trusts. */
  private static CodeSigning.Signer stranger;
  /** A key whose certificate {@link #trusted} issued. */
  private static CodeSigning.Signer issued;

  @BeforeAll
  static void makeKeys() {
    trusted = CodeSigning.selfSigned(keys, "Contoso Test Publisher");
    stranger = CodeSigning.selfSigned(keys, "Mallory Untrusted");
    issued = CodeSigning.issuedBy(trusted, keys, "Contoso Driver Team");
  }

  /** The scripted driver with one resource, as {@code drivers/Signed.jar}; unsigned. */
  private static Path unsignedImage(LoadFixture fixture) {
    fixture.scriptedService(SERVICE, IMAGE);
    return DriverJars.image(IMAGE).entry(ScriptedDriver.class)
        .file(RESOURCE, "greeting=hello\n".getBytes(StandardCharsets.UTF_8))
        .writeTo(fixture.drivers());
  }

  private static void mode(LoadFixture fixture, CodeIntegrityMode mode) {
    fixture.key(CodeIntegrityRegistry.CI_KEY)
        .set(RegValue.dword(CodeIntegrityRegistry.NO_INTEGRITY_CHECKS,
            mode == CodeIntegrityMode.OFF ? 1 : 0))
        .set(RegValue.dword(CodeIntegrityRegistry.TEST_SIGNING,
            mode == CodeIntegrityMode.TEST_SIGNING ? 1 : 0));
  }

  private static void trust(LoadFixture fixture, CodeSigning.Signer publisher) {
    fixture.key(CodeIntegrityRegistry.TRUSTED_PUBLISHERS_KEY + "\\" + publisher.alias())
        .set(RegValue.binary(CodeIntegrityRegistry.BLOB, publisher.certificateBytes()));
  }

  private static CodeIntegrity codeIntegrity(Kernel kernel) {
    return kernel.io().loader().codeIntegrity();
  }

  private static String signerShownByDriverquery(Kernel kernel) {
    return kernel.io().driver("\\Driver\\" + SERVICE).orElseThrow().signer();
  }

  @Test
  void anImageSignedByATrustedPublisherLoadsUnderEnforcementAndDriverqueryNamesItsSigner() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      trusted.sign(unsignedImage(fixture));
      mode(fixture, CodeIntegrityMode.ENFORCED);
      trust(fixture, trusted);

      assertThat(codeIntegrity(kernel).settings().mode()).isEqualTo(CodeIntegrityMode.ENFORCED);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.entryCount(SERVICE)).isEqualTo(1);
      assertThat(signerShownByDriverquery(kernel)).isEqualTo("Contoso Test Publisher");
      assertThat(codeIntegrity(kernel).events()).isEmpty();
    }
  }

  @Test
  void anImageWhoseIssuerIsATrustedPublisherLoadsUnderEnforcement() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      issued.sign(unsignedImage(fixture));
      mode(fixture, CodeIntegrityMode.ENFORCED);
      trust(fixture, trusted);

      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
      assertThat(signerShownByDriverquery(kernel)).isEqualTo("Contoso Driver Team");
    }
  }

  @Test
  void anUnsignedImageIsInvalidImageHashUnderEnforcementAndUnderTestSigning() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      unsignedImage(fixture);
      trust(fixture, trusted);

      for (CodeIntegrityMode refusing
          : new CodeIntegrityMode[] {CodeIntegrityMode.ENFORCED, CodeIntegrityMode.TEST_SIGNING}) {
        mode(fixture, refusing);
        assertThat(fixture.load(SERVICE)).as("%s", refusing).isEqualTo(STATUS_INVALID_IMAGE_HASH);
        assertThat(fixture.driverNames()).isEmpty();
        assertThat(fixture.images()).isEmpty();
        assertThat(fixture.entryCount(SERVICE)).isZero();
      }
      assertThat(codeIntegrity(kernel).events()).last().satisfies(event -> {
        assertThat(event.level()).isEqualTo(CodeIntegrity.Level.ERROR);
        assertThat(event.message()).contains(IMAGE).contains("is not signed");
      });

      // Integrity checks off: the same image loads, and its signer says it was not checked.
      mode(fixture, CodeIntegrityMode.OFF);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
      assertThat(signerShownByDriverquery(kernel)).isEqualTo(CodeIntegrity.NOT_CHECKED);
    }
  }

  @Test
  void anImageSignedByAnUntrustedKeyIsRefusedUnderEnforcementAndLoadsWithAWarningUnderTestSigning() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      stranger.sign(unsignedImage(fixture));
      trust(fixture, trusted);
      mode(fixture, CodeIntegrityMode.ENFORCED);

      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_INVALID_IMAGE_HASH);
      assertThat(fixture.entryCount(SERVICE)).isZero();

      mode(fixture, CodeIntegrityMode.TEST_SIGNING);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
      assertThat(fixture.entryCount(SERVICE)).isEqualTo(1);
      assertThat(signerShownByDriverquery(kernel)).isEqualTo("Mallory Untrusted");
      assertThat(codeIntegrity(kernel).events()).last().satisfies(event -> {
        assertThat(event.level()).isEqualTo(CodeIntegrity.Level.WARN);
        assertThat(event.mode()).isEqualTo(CodeIntegrityMode.TEST_SIGNING);
        assertThat(event.signer()).isEqualTo("Mallory Untrusted");
        assertThat(event.message()).contains(IMAGE).contains("Mallory Untrusted")
            .contains("loaded anyway");
      });
    }
  }

  @Test
  void aSignedImageWithAnEntryChangedAfterSigningIsRefusedInEveryModeButOff() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      Path image = trusted.sign(unsignedImage(fixture));
      trust(fixture, trusted);
      UnaryOperator<byte[]> tamper = bytes -> "greeting=pwned\n".getBytes(StandardCharsets.UTF_8);
      CodeSigning.rewrite(image, Map.of(RESOURCE, tamper), Map.of());

      for (CodeIntegrityMode refusing
          : new CodeIntegrityMode[] {CodeIntegrityMode.ENFORCED, CodeIntegrityMode.TEST_SIGNING}) {
        mode(fixture, refusing);
        assertThat(fixture.load(SERVICE)).as("%s", refusing).isEqualTo(STATUS_INVALID_IMAGE_HASH);
        assertThat(fixture.entryCount(SERVICE)).isZero();
      }
      assertThat(codeIntegrity(kernel).events()).last()
          .satisfies(event -> assertThat(event.message()).contains("invalid signature")
              .contains(RESOURCE));

      mode(fixture, CodeIntegrityMode.OFF);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
    }
  }

  @Test
  void aSignedImageWithAnUnsignedClassAddedIsRefused() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      Path image = trusted.sign(unsignedImage(fixture));
      trust(fixture, trusted);
      CodeSigning.rewrite(image, Map.of(), DriverJars.classFiles(NotADriverEntry.class));

      for (CodeIntegrityMode refusing
          : new CodeIntegrityMode[] {CodeIntegrityMode.ENFORCED, CodeIntegrityMode.TEST_SIGNING}) {
        mode(fixture, refusing);
        assertThat(fixture.load(SERVICE)).as("%s", refusing).isEqualTo(STATUS_INVALID_IMAGE_HASH);
      }
      assertThat(codeIntegrity(kernel).events()).last()
          .satisfies(event -> assertThat(event.message()).contains("NotADriverEntry.class")
              .contains("not signed"));
    }
  }

  @Test
  void aStateDirectoryNeverConfiguredAuditsAnUnsignedImageOnceAndLoadsIt() throws Exception {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      Path image = unsignedImage(fixture);
      // A second service whose image has the very same bytes: audited already.
      java.nio.file.Files.copy(image, fixture.drivers().resolve("Copy.jar"));
      fixture.scriptedService("Copy", "Copy.jar");

      assertThat(codeIntegrity(kernel).settings().mode()).isEqualTo(CodeIntegrityMode.AUDIT);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
      assertThat(signerShownByDriverquery(kernel)).isEqualTo("unsigned");
      assertThat(fixture.load("Copy")).isEqualTo(STATUS_SUCCESS);

      assertThat(codeIntegrity(kernel).events()).singleElement().satisfies(event -> {
        assertThat(event.level()).isEqualTo(CodeIntegrity.Level.AUDIT);
        assertThat(event.mode()).isEqualTo(CodeIntegrityMode.AUDIT);
        assertThat(event.message()).contains(IMAGE).contains("is not signed");
      });
    }
  }

  @Test
  void anImageLoadsUnderEnforcementOnlyOnceItsPublisherIsInTheStore() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      trusted.sign(unsignedImage(fixture));
      mode(fixture, CodeIntegrityMode.ENFORCED);
      trust(fixture, stranger);

      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_INVALID_IMAGE_HASH);
      trust(fixture, trusted);
      assertThat(fixture.load(SERVICE)).isEqualTo(STATUS_SUCCESS);
    }
  }
}
