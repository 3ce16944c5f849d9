package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The boot's warm-up really runs the loader's image checks and the JDK's signature verification
 * over its embedded image (so it warms the code a first load runs), and ends by itself.
 */
class LoaderWarmUpTest {

  @Test
  void embeddedImagePassesTheLoadersChecks() throws Exception {
    assertThat(LoaderWarmUp.checkImage(LoaderWarmUp.embeddedImage(), MemberPolicy.none()))
        .isEqualTo("ntio.kernel.warmup.WarmUpDriver");
  }

  @Test
  void embeddedImageIsSignedAndVerifiesThroughTheJdk() throws Exception {
    assertThat(LoaderWarmUp.verifySignature(LoaderWarmUp.embeddedImage()))
        .isEqualTo("ntio signature warm-up");
  }

  @Test
  void embeddedImageSignatureIsWhatTheKernelsOwnVerificationCallsSigned() throws Exception {
    Path file = Files.createTempFile("loader-warm-up", ".jar");
    try {
      Files.write(file, LoaderWarmUp.embeddedImage());
      assertThat(ImageSignature.verify(file).state()).isEqualTo(ImageSignature.State.SIGNED);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void warmUpThreadIsADaemonThatEndsByItself() throws Exception {
    Thread thread = LoaderWarmUp.start("warm-up under test", MemberPolicy.none(), true);

    assertThat(thread.isDaemon()).isTrue();
    thread.join(30_000);
    assertThat(thread.isAlive()).isFalse();
  }
}
