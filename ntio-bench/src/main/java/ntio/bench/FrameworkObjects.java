package ntio.bench;

import java.util.concurrent.TimeUnit;
import ntio.ddk.PoolType;
import ntio.framework.WdfMemory;
import ntio.framework.WdfObject;
import ntio.framework.WdfObjectAttributes;
import ntio.framework.WdfResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The framework's object tree: what a create and a delete cost. Each object is a framework
 * allocation (kernel pool through the driver's own services, as the verifier sees it), a node of
 * the driver's tree, and a teardown running cleanup and destroy in order.
 *
 * <ul>
 *   <li>{@code generic}: WdfObjectCreate parented to the WDFDRIVER, then WdfObjectDelete;
 *   <li>{@code memory}: WdfMemoryCreate of 64 bytes of non-paged pool, then WdfObjectDelete;
 *   <li>{@code treeOfTen}: a parent and nine children with cleanup callbacks, then one
 *       WdfObjectDelete of the parent, which runs the ten cleanups children first.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameworkObjects {

  @Benchmark
  public WdfObject generic(FrameworkState state) {
    WdfResult<WdfObject> created = state.wdf.objectCreate(WdfObjectAttributes.init());
    state.wdf.objectDelete(checked(created).handle());
    return created.handle();
  }

  @Benchmark
  public WdfMemory memory(FrameworkState state) {
    WdfResult<WdfMemory> created = state.wdf.memoryCreate(WdfObjectAttributes.init(), PoolType.NON_PAGED, 0, 64);
    state.wdf.objectDelete(checked(created).handle());
    return created.handle();
  }

  @Benchmark
  public int treeOfTen(FrameworkState state) {
    int[] cleanups = new int[1];
    WdfResult<WdfObject> parent = checked(state.wdf.objectCreate(
        WdfObjectAttributes.init().cleanupCallback(object -> cleanups[0]++)));
    for (int child = 0; child < 9; child++) {
      checked(state.wdf.objectCreate(WdfObjectAttributes.init().parentObject(parent.handle())
          .cleanupCallback(object -> cleanups[0]++)));
    }
    state.wdf.objectDelete(parent.handle());
    if (cleanups[0] != 10) {
      throw new IllegalStateException(cleanups[0] + " cleanups for a tree of ten");
    }
    return cleanups[0];
  }

  private static <T> WdfResult<T> checked(WdfResult<T> result) {
    if (!result.isSuccess()) {
      throw new IllegalStateException("creation failed: " + result.status());
    }
    return result;
  }
}
