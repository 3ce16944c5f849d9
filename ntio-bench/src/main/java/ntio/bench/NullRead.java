package ntio.bench;

import java.util.concurrent.TimeUnit;
import ntio.api.IoResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The I/O path at its shortest: one synchronous, zero-length NtReadFile of {@code \Device\Null}
 * from one client thread, on a kernel booted once per trial, next to a direct Java call that reads
 * nothing, in the same JVM.
 *
 * <p>Filters attach to Echo only, so this path has one stack location. The defaults below are
 * what {@code run-io.sh} uses for the time per read; it runs the class again with {@code -bm thrpt
 * -tu s} for the reads per second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NullRead {

  /** NtReadFile of 0 bytes: {@code STATUS_END_OF_FILE}, checked. */
  @Benchmark
  public IoResult ntio(NullDeviceState state) {
    return state.device.readNothing();
  }

  /** A direct, not inlined, call that reads nothing. */
  @Benchmark
  public byte[] floor() {
    return DirectNull.read(0);
  }
}
