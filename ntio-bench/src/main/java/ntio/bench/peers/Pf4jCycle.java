package ntio.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import ntio.bench.StateDirectory;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;

/**
 * PF4J's counterpart of the Null driver's cycle: one {@link DefaultPluginManager} for the trial
 * (its plugins root an empty temporary directory), and per cycle {@code loadPlugin(jar)},
 * {@code startPlugin}, one call on the plugin instance, {@code stopPlugin} and
 * {@code unloadPlugin}.
 *
 * <p>{@code startPlugin} is where PF4J creates the unit's instance (its plugin factory calls the
 * plugin's constructor) and calls its {@code start()}. The cycle then takes that instance and
 * calls it once ({@code toString()}, as the floor does): the counterpart of opening a device,
 * which calls into the driver. Every step's answer is checked and a wrong one throws, so a cycle
 * that did not happen is never timed.
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
final class Pf4jCycle implements AutoCloseable {

  private final Path directory;
  private final Path plugin;
  private final PluginManager manager;

  private Pf4jCycle(Path directory) throws IOException {
    this.directory = directory;
    this.plugin = UnitJar.writePf4jPlugin(directory.resolve("unit").resolve("null-plugin.jar"));
    Path root = directory.resolve("plugins");
    Files.createDirectories(root);
    this.manager = new DefaultPluginManager(root);
  }

  /** Writes the plugin JAR to a new temporary directory and creates the plugin manager there. */
  static Pf4jCycle create() throws IOException {
    Path directory = StateDirectory.create("ntio-pf4j-");
    try {
      return new Pf4jCycle(directory);
    } catch (IOException | RuntimeException e) {
      StateDirectory.delete(directory);
      throw e;
    }
  }

  /**
   * One whole cycle. Throws {@link IllegalStateException} naming the step whose answer was wrong.
   *
   * @return what the call on the plugin instance returned, for the benchmark to consume
   */
  String run() {
    return run(null);
  }

  /**
   * One whole cycle, handing the plugin's class loader to {@code started} while the plugin is
   * started (tests keep a weak reference to it).
   */
  String run(Consumer<ClassLoader> started) {
    String id = manager.loadPlugin(plugin);
    if (!UnitJar.PLUGIN_ID.equals(id)) {
      throw new IllegalStateException("loadPlugin(" + plugin + ") returned " + id + ", not " + UnitJar.PLUGIN_ID);
    }
    PluginState state = manager.startPlugin(id);
    PluginWrapper wrapper = manager.getPlugin(id);
    if (state != PluginState.STARTED) {
      throw new IllegalStateException("startPlugin(" + id + ") returned " + state + ", not STARTED",
          wrapper.getFailedException());
    }
    Plugin instance = wrapper.getPlugin();
    if (instance.getClass().getClassLoader() != wrapper.getPluginClassLoader()) {
      throw new IllegalStateException(UnitJar.PLUGIN_CLASS + " came from " + instance.getClass().getClassLoader()
          + ", not from the plugin's loader: the unit is on the class path");
    }
    String called = instance.toString();
    if (started != null) {
      started.accept(wrapper.getPluginClassLoader());
    }
    state = manager.stopPlugin(id);
    if (state != PluginState.STOPPED) {
      throw new IllegalStateException("stopPlugin(" + id + ") returned " + state + ", not STOPPED");
    }
    if (!manager.unloadPlugin(id)) {
      throw new IllegalStateException("unloadPlugin(" + id + ") returned false");
    }
    return called;
  }

  /** The plugin manager, for checks in tests and tear-downs. */
  PluginManager manager() {
    return manager;
  }

  /** Unloads whatever is left and deletes the directory. */
  @Override
  public void close() throws IOException {
    try {
      manager.stopPlugins();
      manager.unloadPlugins();
    } finally {
      StateDirectory.delete(directory);
    }
  }
}
