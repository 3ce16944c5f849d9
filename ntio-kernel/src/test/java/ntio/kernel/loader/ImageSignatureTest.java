package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ntio.kernel.testing.CodeSigning;
import ntio.kernel.testing.DriverJars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ImageSignature} makes of real {@code jarsigner} signatures: the bytes it verifies
 * must be the bytes the loader read, its reads are bounded, and only the signature's own files go
 * unsigned.
 */
class ImageSignatureTest {

  @TempDir static Path keys;
  @TempDir Path directory;

  private static CodeSigning.Signer signer;

  @BeforeAll
  static void makeKey() {
    signer = CodeSigning.selfSigned(keys, "Fabrikam Signer");
  }

  private Path signedImage() {
    Path jar = DriverJars.image("Image.jar").entry(ImageSignatureTest.class)
        .file("data.txt", "data".getBytes(StandardCharsets.UTF_8))
        .writeTo(directory);
    return signer.sign(jar);
  }

  /** The files of the JAR as the loader reads them. */
  private static Map<String, byte[]> loaderFiles(Path jar) throws Exception {
    return JarImage.read(Files.readAllBytes(jar), DriverLoader.MAXIMUM_INFLATED_SIZE).files();
  }

  @Test
  void aSignedJarIsSignedByItsSignerAndTrustedOnlyThroughAPublisher() throws Exception {
    Path jar = signedImage();

    ImageSignature signature = ImageSignature.verify(jar, loaderFiles(jar),
        DriverLoader.MAXIMUM_INFLATED_SIZE);

    assertThat(signature.state()).isEqualTo(ImageSignature.State.SIGNED);
    assertThat(signature.signerName()).isEqualTo("Fabrikam Signer");
    assertThat(signature.trustedSigner(List.of(), Instant.now())).isEmpty();
    var leaf = (java.security.cert.X509Certificate)
        signature.signers().get(0).getSignerCertPath().getCertificates().get(0);
    assertThat(signature.trustedSigner(List.of(leaf), Instant.now())).isPresent();
    // After the certificate expired (and with no timestamp to say when it signed), it trusts nothing.
    assertThat(signature.trustedSigner(List.of(leaf), leaf.getNotAfter().toInstant().plusSeconds(1)))
        .isEmpty();
  }

  @Test
  void bytesThatDifferFromWhatTheLoaderReadAreInvalidEvenIfTheFileVerifies() throws Exception {
    Path jar = signedImage();
    Map<String, byte[]> swapped = new HashMap<>(loaderFiles(jar));
    swapped.put("data.txt", "evil".getBytes(StandardCharsets.UTF_8));

    ImageSignature signature = ImageSignature.verify(jar, swapped, DriverLoader.MAXIMUM_INFLATED_SIZE);

    assertThat(signature.state()).isEqualTo(ImageSignature.State.INVALID);
    assertThat(signature.detail()).contains("data.txt").contains("differs from what the loader read");
  }

  @Test
  void aFileTheLoaderReadButTheJarLacksIsInvalid() throws Exception {
    Path jar = signedImage();
    Map<String, byte[]> more = new HashMap<>(loaderFiles(jar));
    more.put("extra/Hidden.class", new byte[] {1, 2, 3});

    ImageSignature signature = ImageSignature.verify(jar, more, DriverLoader.MAXIMUM_INFLATED_SIZE);

    assertThat(signature.state()).isEqualTo(ImageSignature.State.INVALID);
    assertThat(signature.detail()).contains("lacks files the loader read");
  }

  @Test
  void verifyingAFileAloneStopsReadingAtTheInflatedLimit() throws Exception {
    Path jar = DriverJars.image("Big.jar").entry(ImageSignatureTest.class)
        .file("big.bin", new byte[1 << 20])
        .writeTo(directory);
    signer.sign(jar);

    ImageSignature signature = ImageSignature.verify(jar, null, 64 << 10);

    assertThat(signature.state()).isEqualTo(ImageSignature.State.INVALID);
    assertThat(signature.detail()).contains("inflate to more than 65536 bytes");
  }

  @Test
  void anUnsignedJarIsUnsigned() throws Exception {
    Path jar = DriverJars.image("Plain.jar").entry(ImageSignatureTest.class).writeTo(directory);

    ImageSignature signature = ImageSignature.verify(jar);

    assertThat(signature.state()).isEqualTo(ImageSignature.State.UNSIGNED);
    assertThat(signature.signerName()).isEqualTo("unsigned");
  }

  @Test
  void onlyTheSignaturesOwnFilesDirectlyInMetaInfGoUnsigned() {
    assertThat(ImageSignature.isSignatureFile("META-INF/MANIFEST.MF")).isTrue();
    assertThat(ImageSignature.isSignatureFile("META-INF/SIGNER.SF")).isTrue();
    assertThat(ImageSignature.isSignatureFile("meta-inf/signer.ec")).isTrue();
    assertThat(ImageSignature.isSignatureFile("META-INF/SIG-X")).isTrue();
    assertThat(ImageSignature.isSignatureFile("META-INF/services/ntio.ddk.DriverEntry")).isFalse();
    assertThat(ImageSignature.isSignatureFile("META-INF/versions/9/A.SF")).isFalse();
    assertThat(ImageSignature.isSignatureFile("com/example/A.RSA")).isFalse();
  }
}
