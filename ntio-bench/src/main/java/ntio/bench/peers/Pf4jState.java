package ntio.bench.peers;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A PF4J plugin manager and the plugin JAR, made once per trial in a temporary directory. */
@State(Scope.Thread)
public class Pf4jState {
  Pf4jCycle cycle;

  /** Writes the plugin and creates the manager; not timed, as peers.md leaves it out. */
  @Setup(Level.Trial)
  public void create() throws IOException {
    cycle = Pf4jCycle.create();
  }

  /** Checks that no plugin was left loaded, then removes the directory. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    int left = cycle.manager().getPlugins().size();
    cycle.close();
    if (left != 0) {
      throw new IllegalStateException(left + " plugins were still loaded after the trial");
    }
  }
}
