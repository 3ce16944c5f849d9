package ntio.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import ntio.bench.StateDirectory;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Apache Felix's counterpart of the Null driver's cycle: one embedded framework, started once per
 * trial on a fresh bundle cache in a temporary directory, and per cycle {@code installBundle},
 * {@code start}, {@code stop}, {@code uninstall} and {@code FrameworkWiring.refreshBundles},
 * waiting for its {@code PACKAGES_REFRESHED}.
 *
 * <p>Choices, following peers.md §4.2, which measured each:
 *
 * <ul>
 *   <li><b>{@code reference:} install.</b> The bundle is installed from {@code reference:file:…},
 *       so Felix reads the JAR where it lies instead of copying it into its cache, as the kernel
 *       maps {@code Null.jar} in place and the floor reads it in place. (Felix still writes and
 *       deletes its cache metadata for each bundle.)
 *   <li><b>Refresh after uninstall.</b> OSGi keeps an uninstalled bundle's revision, and with it
 *       its class loader, until a refresh when another bundle may be wired to it; only a refresh
 *       guarantees the loader is released. Felix happens to release an unused bundle at
 *       uninstall already, so here the refresh is cheap (about 20 µs in peers.md), but a host
 *       cannot know that without looking, and peers.md's headline Felix row includes it.
 *   <li><b>No URL handlers</b> ({@code felix.service.urlhandlers=false}): Felix's URL handlers
 *       service installs JVM-wide stream and content handler factories, which an embedder
 *       sharing its JVM does not want, and nothing here uses {@code bundle:} URLs.
 * </ul>
 *
 * <p>{@code start} is where Felix creates the unit's instance (it constructs the activator) and
 * calls its {@code start}: the counterpart of DriverEntry and of opening a device.
 *
 * <p>Not thread-safe: one benchmark thread drives one instance.
 */
final class FelixCycle implements AutoCloseable {

  /** How long a refresh may take before the cycle gives up; far beyond any real one. */
  private static final long REFRESH_TIMEOUT_SECONDS = 30;

  private final Path directory;
  private final String location;
  private final Framework framework;
  private final BundleContext context;
  private final FrameworkWiring wiring;

  private FelixCycle(Path directory) throws IOException, BundleException {
    this.directory = directory;
    Path bundle = UnitJar.writeFelixBundle(directory.resolve("unit").resolve("null-bundle.jar"));
    this.location = "reference:" + bundle.toUri();
    this.framework = new FrameworkFactory().newFramework(Map.of(
        Constants.FRAMEWORK_STORAGE, directory.resolve("cache").toString(),
        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
        "felix.service.urlhandlers", "false"));
    framework.start();
    this.context = framework.getBundleContext();
    this.wiring = framework.adapt(FrameworkWiring.class);
  }

  /** Writes the bundle JAR to a new temporary directory and starts a framework there. */
  static FelixCycle start() throws IOException, BundleException {
    Path directory = StateDirectory.create("ntio-felix-");
    try {
      return new FelixCycle(directory);
    } catch (IOException | BundleException | RuntimeException e) {
      StateDirectory.delete(directory);
      throw e;
    }
  }

  /**
   * One whole cycle. Throws {@link IllegalStateException} naming the step that did not do what it
   * should.
   *
   * @return the bundle's id, for the benchmark to consume
   */
  long run() throws BundleException, InterruptedException {
    return run(null);
  }

  /**
   * One whole cycle, handing the bundle's class loader to {@code started} while the bundle is
   * active (tests keep a weak reference to it).
   */
  long run(Consumer<ClassLoader> started) throws BundleException, InterruptedException {
    Bundle bundle = context.installBundle(location);
    bundle.start();
    if (bundle.getState() != Bundle.ACTIVE) {
      throw new IllegalStateException("start of " + location + " left it in state " + bundle.getState()
          + ", not ACTIVE");
    }
    if (started != null) {
      started.accept(bundle.adapt(BundleWiring.class).getClassLoader());
    }
    bundle.stop();
    bundle.uninstall();
    if (bundle.getState() != Bundle.UNINSTALLED) {
      throw new IllegalStateException("uninstall of " + location + " left it in state " + bundle.getState());
    }
    refresh();
    return bundle.getBundleId();
  }

  private void refresh() throws InterruptedException {
    CountDownLatch refreshed = new CountDownLatch(1);
    wiring.refreshBundles(null, event -> {
      if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
        refreshed.countDown();
      }
    });
    if (!refreshed.await(REFRESH_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("refreshBundles: no PACKAGES_REFRESHED in " + REFRESH_TIMEOUT_SECONDS + " s");
    }
  }

  /** The bundles installed now, the system bundle included; for checks in tests. */
  int installedBundles() {
    return context.getBundles().length;
  }

  /** Stops the framework and deletes the directory. */
  @Override
  public void close() throws IOException {
    try {
      framework.stop();
      FrameworkEvent stopped = framework.waitForStop(TimeUnit.SECONDS.toMillis(REFRESH_TIMEOUT_SECONDS));
      if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
        throw new IllegalStateException("the Felix framework did not stop in " + REFRESH_TIMEOUT_SECONDS + " s");
      }
    } catch (BundleException e) {
      throw new IllegalStateException("stopping the Felix framework", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping the Felix framework", e);
    } finally {
      StateDirectory.delete(directory);
    }
  }
}
