package ntio.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import ntio.kernel.verifier.LoaderProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FelixCycleTest {

  @Test
  void eachCycleActivatesTheBundleInItsOwnLoaderUninstallsItAndTheLoaderBecomesUnreachable() throws Exception {
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    List<Long> bundleIds = new ArrayList<>();
    try (FelixCycle cycle = FelixCycle.start()) {
      for (int i = 0; i < 3; i++) {
        bundleIds.add(cycle.run(loader -> loaders.add(new WeakReference<>(loader))));
      }

      assertThat(bundleIds).doesNotHaveDuplicates();
      assertThat(cycle.installedBundles()).as("the system bundle alone").isEqualTo(1);
      assertThat(loaders).hasSize(3).extracting(WeakReference::get).doesNotContainNull().doesNotHaveDuplicates();
      assertThat(LoaderProbe.check(loaders).allUnreachable()).isTrue();
    }
  }

  @Test
  void theActivatorClassIsNotOnTheClassPath() {
    assertThat(getClass().getClassLoader().getResource(UnitJar.ACTIVATOR_CLASS.replace('.', '/') + ".class")).isNull();
  }
}
