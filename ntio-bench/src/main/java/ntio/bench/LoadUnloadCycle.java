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
 * The warm steady state: the time of one whole driver cycle on a kernel booted once per trial,
 * next to the bare class-loader floor over the same JAR in the same JVM.
 *
 * <p>The heap is fixed at 512 MiB, as in peers.md §4.2, so the two are comparable with its
 * figures. The defaults below are what {@code run.sh} uses; command-line options override them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LoadUnloadCycle {

  /** NtLoadDriver, NtCreateFile, NtClose, NtUnloadDriver of the Null driver, each checked. */
  @Benchmark
  public Handle ntio(NtioState state) {
    return state.cycle.run();
  }

  /** A new URLClassLoader over Null.jar: define, instantiate, call, close. */
  @Benchmark
  public Object floor(FloorState state) throws IOException, ReflectiveOperationException {
    return state.floor.run();
  }
}
