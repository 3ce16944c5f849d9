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
 * 4 KiB through Echo's stack: one synchronous NtWriteFile of 4 KiB, then one synchronous
 * NtReadFile of 4 KiB, from one client thread, with 0, 1 or 3 Filters on top of Echo
 * ({@code depth} 1, 2, 4); next to a direct Java call passing the same 4 KiB through a trivial
 * in-process FIFO, in the same JVM.
 *
 * <p>A read alone is not measured: Echo may hold a read of an empty FIFO pending until a write
 * arrives, so every read here follows the write that fills it. The defaults below are what
 * {@code run-io.sh} uses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EchoRoundTrip {

  /** NtWriteFile then NtReadFile of 4 KiB, each checked. */
  @Benchmark
  public IoResult ntio(EchoStackState state) {
    return state.stack.writeThenRead();
  }

  /** The same 4 KiB written to and read back from a direct FIFO, checked. */
  @Benchmark
  public byte[] floor(DirectFifoState state) {
    return state.writeThenRead();
  }
}
