package ntio.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import ntio.kernel.verifier.LoaderProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pf4j.PluginState;

@Timeout(60)
class Pf4jCycleTest {

  @Test
  void eachCycleStartsThePluginFromItsOwnLoaderUnloadsItAndTheLoaderBecomesUnreachable() throws Exception {
    List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
    List<PluginState> statesWhileStarted = new ArrayList<>();
    try (Pf4jCycle cycle = Pf4jCycle.create()) {
      for (int i = 0; i < 3; i++) {
        String called = cycle.run(loader -> {
          loaders.add(new WeakReference<>(loader));
          statesWhileStarted.add(cycle.manager().getPlugin(UnitJar.PLUGIN_ID).getPluginState());
        });
        assertThat(called).startsWith(UnitJar.PLUGIN_CLASS + "@");
      }

      assertThat(statesWhileStarted).containsExactly(PluginState.STARTED, PluginState.STARTED, PluginState.STARTED);
      assertThat(cycle.manager().getPlugins()).isEmpty();
      assertThat(loaders).extracting(WeakReference::get).doesNotHaveDuplicates();
      assertThat(LoaderProbe.check(loaders).allUnreachable()).isTrue();
    }
  }

  @Test
  void thePluginClassIsNotOnTheClassPath() {
    assertThat(getClass().getClassLoader().getResource(UnitJar.PLUGIN_CLASS.replace('.', '/') + ".class")).isNull();
  }
}
