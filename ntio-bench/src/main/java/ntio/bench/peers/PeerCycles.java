package ntio.bench.peers;

import java.io.IOException;
import ntio.bench.FloorState;
import ntio.bench.NtioState;
import ntio.ddk.Handle;
import org.openjdk.jmh.annotations.Benchmark;
import org.osgi.framework.BundleException;

/**
 * The cycles compared, once: {@link PeerCycle} runs them warm and {@link PeerFirstCycle} cold, each
 * with its own class-level JMH settings (JMH applies a subclass's settings to the benchmarks it
 * inherits).
 */
public abstract class PeerCycles {

  /** A new URLClassLoader over Null.jar: define, instantiate, call, close. */
  @Benchmark
  public Object floor(FloorState state) throws IOException, ReflectiveOperationException {
    return state.floor().run();
  }

  /** The same floor cycle over the peers' unit, the PF4J plugin's JAR. */
  @Benchmark
  public Object floorPeerUnit(PeerUnitFloorState state)
      throws IOException, ReflectiveOperationException {
    return state.floor.run();
  }

  /** NtLoadDriver, NtCreateFile, NtClose, NtUnloadDriver of the Null driver, verifier off. */
  @Benchmark
  public Handle ntio(NtioState state) {
    return state.cycle().run();
  }

  /** The same cycle with Driver Verifier's standard flags on Null.jar. */
  @Benchmark
  public Handle ntioVerified(VerifiedNtioState state) {
    return state.cycle.run();
  }

  /** The same cycle on an unsigned copy of the image, as the peers' units are unsigned. */
  @Benchmark
  public Handle ntioUnsigned(UnsignedNtioState state) {
    return state.cycle.run();
  }

  /** PF4J: loadPlugin, startPlugin, a call on the plugin, stopPlugin, unloadPlugin. */
  @Benchmark
  public String pf4j(Pf4jState state) {
    return state.cycle.run();
  }

  /** Felix: installBundle (reference:), start, stop, uninstall, refreshBundles. */
  @Benchmark
  public long felix(FelixState state) throws BundleException, InterruptedException {
    return state.cycle.run();
  }
}
