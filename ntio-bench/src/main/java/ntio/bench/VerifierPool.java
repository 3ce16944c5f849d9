package ntio.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the Driver Verifier costs a driver's pool calls: ExAllocatePoolWithTag of 64 bytes and
 * ExFreePoolWithTag made by a driver image's own code ({@link ntio.bench.images.PoolDriver}), with
 * the image unverified and verified with the standard flags (pool tracking records each
 * allocation's calling site, which the image's thunked call passes), in the same run. The target
 * is verified at most 3 times unverified.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VerifierPool {

  /** One allocate and free by the image, through its services; the NTSTATUS code. */
  @Benchmark
  public int allocateAndFree(VerifierPoolState state) {
    return state.allocateAndFree();
  }
}
