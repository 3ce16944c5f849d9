package ntio.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import ntio.ddk.Handle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cold first cycle: each fork is a fresh JVM that times exactly one cycle, with no warm-up.
 * Booting the kernel (or writing the floor's JAR) happens in the trial set-up and is not timed, as
 * peers.md §4.2 leaves out creating the PF4J manager or the Felix framework.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 10, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
public class FirstCycle {

  /** The first NtLoadDriver, NtCreateFile, NtClose, NtUnloadDriver in this JVM. */
  @Benchmark
  public Handle ntio(NtioState state) {
    return state.cycle.run();
  }

  /** The first URLClassLoader cycle over Null.jar in this JVM. */
  @Benchmark
  public Object floor(FloorState state) throws IOException, ReflectiveOperationException {
    return state.floor.run();
  }
}
