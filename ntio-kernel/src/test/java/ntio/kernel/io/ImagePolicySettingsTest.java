package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An administrator extends the image policy's deny list in the registry; the kernel reads it at
 * boot, skipping a rule that is not well formed.
 */
class ImagePolicySettingsTest {

  @TempDir Path state;

  @Test
  void aRuleAddedInTheRegistryBlocksLoadsFromTheNextBoot() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverCallContextTest.install(fixture, "Plain");
      fixture.key(ImagePolicySettings.KEY).set(RegValue.multiString(
          ImagePolicySettings.DENIED_MEMBERS,
          List.of("not a rule#", "java.util.concurrent.CountDownLatch#await")));

      // Read at boot: this kernel still has the list it booted with.
      assertThat(fixture.load("Plain")).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(fixture.unload("Plain")).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);

      assertThat(fixture.load("Plain")).isEqualTo(NtStatus.STATUS_DRIVER_BLOCKED_CRITICAL);
      assertThat(fixture.driverExists("\\Driver\\Plain")).isFalse();
    }
  }

  @Test
  void withoutTheValueOnlyTheBuiltInRulesHold() {
    try (Kernel kernel = Kernel.boot(KernelConfig.of(state))) {
      LoadFixture fixture = new LoadFixture(kernel);
      DriverCallContextTest.install(fixture, "Plain");

      assertThat(fixture.load("Plain")).isEqualTo(NtStatus.STATUS_SUCCESS);
    }
  }
}
