package ntio.bench.peers;

import java.io.IOException;
import ntio.bench.ClassLoaderFloor;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The class-loader floor of the peers' unit: the same {@code URLClassLoader} cycle as the Null
 * floor, over the PF4J plugin's JAR (one class of a few hundred bytes, linked against PF4J). The
 * peers load a smaller class than Null's, so each system's cost is read against the floor of the
 * unit it loads, as peers.md compares each to its own floor.
 */
@State(Scope.Thread)
public class PeerUnitFloorState {
  ClassLoaderFloor floor;

  @Setup(Level.Trial)
  public void create() throws IOException {
    floor = ClassLoaderFloor.of("ntio-peer-floor-",
        directory -> UnitJar.writePf4jPlugin(directory.resolve("null-plugin.jar")),
        UnitJar.PLUGIN_CLASS, org.pf4j.Plugin.class.getClassLoader());
  }

  @TearDown(Level.Trial)
  public void delete() throws IOException {
    floor.close();
  }
}
