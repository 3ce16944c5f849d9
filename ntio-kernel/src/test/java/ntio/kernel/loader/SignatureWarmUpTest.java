package ntio.kernel.loader;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The boot's signature warm-up really verifies a signed JAR (so it warms the code the first image
 * verification runs), and ends by itself.
 */
class SignatureWarmUpTest {

  @Test
  void embeddedJarIsSignedAndVerifiesThroughTheJdk() throws Exception {
    assertThat(SignatureWarmUp.verifyEmbedded()).isEqualTo("ntio signature warm-up");
  }

  @Test
  void warmUpThreadIsADaemonThatEndsByItself() throws Exception {
    Thread thread = SignatureWarmUp.start("warm-up under test");

    assertThat(thread.isDaemon()).isTrue();
    thread.join(30_000);
    assertThat(thread.isAlive()).isFalse();
  }
}
