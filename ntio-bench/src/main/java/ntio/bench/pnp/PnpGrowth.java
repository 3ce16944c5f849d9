package ntio.bench.pnp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ntio.api.DevNodeInfo;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the PnP manager's operations grow with the devnodes present: {@code devnodes} children of
 * one bus are plugged and started (not timed), then each operation is timed at that size:
 *
 * <ul>
 *   <li>{@link #enumerateAndRemove}: a new child plugged (the bus re-enumerated, the new devnode
 *       brought up: AddDevice of function driver and filter, START) and unplugged again (surprise
 *       removal, REMOVE_DEVICE, the devnode deleted): the tree's size is back to N after each;
 *   <li>{@link #queryTree}: the whole tree through {@code NtApi.queryDeviceTree}, whose answer
 *       has N + 2 rows, so it is O(N) by nature: divide by the rows for the cost per devnode.
 * </ul>
 *
 * <p>The target (issue 18) is that the per-operation figures stay within 2x from 10 to 10,000.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PnpGrowth {

  /** A rig with {@code devnodes} children plugged and started. */
  @State(Scope.Thread)
  public static class Tree {
    @Param({"10", "100", "1000", "10000"})
    public int devnodes;

    PnpBusRig rig;
    int next;

    @Setup(Level.Trial)
    public void grow() throws IOException {
      rig = PnpBusRig.boot();
      rig.plugMany(0, devnodes);
      next = devnodes;
    }

    @TearDown(Level.Trial)
    public void shutDown() throws IOException {
      rig.close();
    }
  }

  /** Enumerate a new child (plug, bring-up) and remove it (unplug, removal). */
  @Benchmark
  public int enumerateAndRemove(Tree tree) {
    int serial = tree.next++;
    tree.rig.plug(serial);
    tree.rig.unplug(serial);
    return serial;
  }

  /** The whole device tree, as {@code devcon tree} asks for it. */
  @Benchmark
  public List<DevNodeInfo> queryTree(Tree tree) {
    return tree.rig.tree();
  }
}
