package ntio.bench.peers;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import ntio.bench.FloorState;
import ntio.bench.NtioState;
import ntio.ddk.Handle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.framework.BundleException;

/**
 * The cold first cycle, side by side: each fork is a fresh JVM that times exactly one cycle of
 * {@link PeerCycle}'s, with no warm-up. Booting the kernel, creating the PF4J manager, starting
 * the Felix framework and writing the units happen in the trial set-up and are not timed, as in
 * peers.md §4.2. The defaults below are {@code compare.sh}'s; command-line options override them.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 12, jvmArgsAppend = {"-Xms512m", "-Xmx512m", PeerCycle.QUIET_PF4J})
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
public class PeerFirstCycle {

  /** The first URLClassLoader cycle over Null.jar in this JVM. */
  @Benchmark
  public Object floor(FloorState state) throws IOException, ReflectiveOperationException {
    return state.floor().run();
  }

  /** The first Null driver cycle in this JVM, verifier off. */
  @Benchmark
  public Object floorPeerUnit(PeerUnitFloorState state)
      throws IOException, ReflectiveOperationException {
    return state.floor.run();
  }

  @Benchmark
  public Handle ntio(NtioState state) {
    return state.cycle().run();
  }

  /** The first Null driver cycle in this JVM, verified with the standard flags. */
  @Benchmark
  public Handle ntioVerified(VerifiedNtioState state) {
    return state.cycle.run();
  }

  /** The first PF4J plugin cycle in this JVM. */
  @Benchmark
  public String pf4j(Pf4jState state) {
    return state.cycle.run();
  }

  /** The first Felix bundle cycle in this JVM. */
  @Benchmark
  public long felix(FelixState state) throws BundleException, InterruptedException {
    return state.cycle.run();
  }
}
