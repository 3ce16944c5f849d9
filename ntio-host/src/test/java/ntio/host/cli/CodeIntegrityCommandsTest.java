package ntio.host.cli;

import static ntio.host.cli.CliHarness.embedded;
import static ntio.host.cli.CliHarness.sampleImage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import ntio.api.CodeIntegrityMode;
import ntio.host.cli.CliHarness.Result;
import ntio.host.cli.CliHarness.RunningKernel;
import ntio.kernel.CodeIntegrityRegistry;
import ntio.kernel.loader.ImageSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ntio bcdedit} and {@code ntio certutil}: the code-integrity mode and the trusted
 * publishers, set as Windows sets them, and what the next driver load makes of them — with the
 * sample images the build signed with its test certificate.
 */
class CodeIntegrityCommandsTest {

  @TempDir Path state;
  @TempDir Path files;

  private static CodeIntegrityMode mode(RunningKernel kernel) {
    return kernel.kernel().io().loader().codeIntegrity().settings().mode();
  }

  /** The certificate that signed the sample images: the build's test certificate. */
  private Path buildCertificate() throws Exception {
    ImageSignature signature = ImageSignature.verify(sampleImage("Echo"));
    assertThat(signature.state()).isEqualTo(ImageSignature.State.SIGNED);
    X509Certificate certificate = (X509Certificate)
        signature.signers().get(0).getSignerCertPath().getCertificates().get(0);
    return Files.write(files.resolve("ntio-test-signing.cer"), certificate.getEncoded());
  }

  @Test
  void bcdeditSwitchesTheModeTheNextLoadUses() {
    try (RunningKernel kernel = new RunningKernel(state)) {
      assertThat(mode(kernel)).isEqualTo(CodeIntegrityMode.AUDIT);

      assertThat(kernel.admin("bcdedit", "/set", "testsigning", "on").exitCode()).isZero();
      assertThat(mode(kernel)).isEqualTo(CodeIntegrityMode.TEST_SIGNING);
      assertThat(kernel.admin("bcdedit", "/set", "nointegritychecks", "on").exitCode()).isZero();
      assertThat(mode(kernel)).isEqualTo(CodeIntegrityMode.OFF);
      assertThat(kernel.admin("bcdedit", "/set", "nointegritychecks", "off").exitCode()).isZero();
      assertThat(mode(kernel)).isEqualTo(CodeIntegrityMode.TEST_SIGNING);
      Result enforced = kernel.admin("bcdedit", "/set", "testsigning", "off");

      assertThat(enforced.exitCode()).as(enforced.err()).isZero();
      assertThat(enforced.outLines()).containsExactly("The operation completed successfully.",
          "Code integrity: enforced (only images signed by a trusted publisher load) (from each"
              + " driver's next load).");
      assertThat(mode(kernel)).isEqualTo(CodeIntegrityMode.ENFORCED);
      assertThat(kernel.admin("bcdedit", "/enum").outLines()).containsExactly(
          "testsigning No", "nointegritychecks No",
          "code integrity enforced (only images signed by a trusted publisher load)");
    }
  }

  @Test
  void bcdeditEnumOfAStateDirectoryNeverConfiguredSaysAudit() throws Exception {
    Result r = embedded(state, "bcdedit", "/enum", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("mode").asText()).isEqualTo("AUDIT");
    assertThat(doc.get("testsigning").asText()).isEqualTo("(not set)");
  }

  @Test
  void bcdeditRefusesAnUnknownOptionOrValue() {
    Result option = embedded(state, "bcdedit", "/set", "debug", "on");
    Result value = embedded(state, "bcdedit", "/set", "testsigning", "maybe");

    assertThat(option.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(option.err()).contains("unknown option debug");
    assertThat(value.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(value.err()).contains("takes on or off");
  }

  @Test
  void aStandardUserCanNeitherTurnChecksOffNorAddAPublisher() throws Exception {
    Path certificate = buildCertificate();
    try (RunningKernel kernel = new RunningKernel(state)) {
      kernel.admin("bcdedit", "/set", "testsigning", "off");

      Result off = kernel.user("bcdedit", "/set", "nointegritychecks", "on");
      Result trust = kernel.user("certutil", "-addstore", "TrustedPublisher", certificate.toString());

      assertThat(off.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(off.err()).contains("STATUS_ACCESS_DENIED");
      assertThat(trust.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(trust.err()).contains("STATUS_ACCESS_DENIED");
      assertThat(mode(kernel)).isEqualTo(CodeIntegrityMode.ENFORCED);
      assertThat(kernel.kernel().io().loader().codeIntegrity().settings().trustedPublishers()).isEmpty();
    }
  }

  @Test
  void aSampleLoadsUnderEnforcementOnlyOnceTheBuildsCertificateIsATrustedPublisher() throws Exception {
    Path certificate = buildCertificate();
    try (RunningKernel kernel = new RunningKernel(state)) {
      kernel.admin("bcdedit", "/set", "testsigning", "off");
      Result created = kernel.admin("sc", "create", "Echo", "--image", sampleImage("Echo").toString());
      assertThat(created.outLines()).contains("Signer : ntio Test Signing");

      Result refused = kernel.admin("sc", "start", "Echo");
      assertThat(refused.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
      assertThat(refused.err()).contains("STATUS_INVALID_IMAGE_HASH");

      Result added = kernel.admin("certutil", "-addstore", "TrustedPublisher", certificate.toString());
      assertThat(added.exitCode()).as(added.err()).isZero();
      assertThat(added.out()).contains("CertUtil: -addstore command completed successfully.");
      Result started = kernel.admin("sc", "start", "Echo");
      assertThat(started.exitCode()).as(started.err()).isZero();

      Result signers = kernel.admin("driverquery", "--si");
      assertThat(signers.outLines()).containsExactly("Module Name Image Signer",
          "Echo \\SystemRoot\\System32\\drivers\\Echo.jar ntio Test Signing");
    }
  }

  @Test
  void certutilListsAndDeletesATrustedPublisherByThumbprint() throws Exception {
    Path certificate = buildCertificate();
    String thumbprint = CodeIntegrityRegistry.thumbprint(
        CodeIntegrityRegistry.parse(Files.readAllBytes(certificate)));
    try (RunningKernel kernel = new RunningKernel(state)) {
      kernel.admin("certutil", "-addstore", "TrustedPublisher", certificate.toString());

      JsonNode listed = new ObjectMapper().readTree(
          kernel.admin("certutil", "-store", "TrustedPublisher", "--json").out());
      assertThat(listed.get("certificates")).hasSize(1);
      assertThat(listed.get("certificates").get(0).get("thumbprint").asText()).isEqualTo(thumbprint);
      assertThat(listed.get("certificates").get(0).get("subject").asText()).contains("CN=ntio Test Signing");
      assertThat(kernel.kernel().io().loader().codeIntegrity().settings().trustedPublishers()).hasSize(1);

      Result deleted = kernel.admin("certutil", "-delstore", "TrustedPublisher", thumbprint);
      assertThat(deleted.exitCode()).as(deleted.err()).isZero();
      assertThat(kernel.kernel().io().loader().codeIntegrity().settings().trustedPublishers()).isEmpty();
      assertThat(kernel.admin("certutil", "-store", "TrustedPublisher").outLines())
          .containsExactly("TrustedPublisher \"Trusted Publishers\"",
              "CertUtil: -store command completed successfully.");
    }
  }

  @Test
  void certutilRefusesAFileThatIsNotACertificateAndAnotherStore() throws Exception {
    Path notACertificate = Files.writeString(files.resolve("junk.cer"), "not a certificate");

    Result junk = embedded(state, "certutil", "-addstore", "TrustedPublisher", notACertificate.toString());
    Result root = embedded(state, "certutil", "-addstore", "Root", notACertificate.toString());

    assertThat(junk.exitCode()).isEqualTo(ExitCodes.NT_FAILURE);
    assertThat(junk.err()).contains("is not a certificate");
    assertThat(root.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(root.err()).contains("ntio keeps one store, TrustedPublisher");
  }
}
