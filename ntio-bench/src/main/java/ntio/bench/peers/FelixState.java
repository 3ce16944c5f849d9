package ntio.bench.peers;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.osgi.framework.BundleException;

/** An embedded Felix framework and the bundle JAR, started once per trial in a temporary directory. */
@State(Scope.Thread)
public class FelixState {
  FelixCycle cycle;

  /** Writes the bundle and starts the framework; not timed, as peers.md leaves it out. */
  @Setup(Level.Trial)
  public void start() throws IOException, BundleException {
    cycle = FelixCycle.start();
  }

  /** Checks that only the system bundle is left, then stops the framework and removes the directory. */
  @TearDown(Level.Trial)
  public void stop() throws IOException {
    int left = cycle.installedBundles() - 1;
    cycle.close();
    if (left != 0) {
      throw new IllegalStateException(left + " bundles were still installed after the trial");
    }
  }
}
