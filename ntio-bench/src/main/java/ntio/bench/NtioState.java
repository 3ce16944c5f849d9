package ntio.bench;

import java.io.IOException;
import ntio.kernel.loader.ImageReclaim;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A kernel with the Null service installed, booted once per trial in a temporary directory. */
@State(Scope.Thread)
public class NtioState {
  NullDriverCycle cycle;

  /**
   * The kernel's image reclaim threshold ({@code KernelConfig.withImageReclaimThreshold}): the
   * default, or 0 to see what HotSpot's loader-constraint lists cost when nothing asks for class
   * unloading ({@code -p imageReclaimThreshold=0}).
   */
  @Param({"" + ImageReclaim.DEFAULT_THRESHOLD})
  public int imageReclaimThreshold;

  /** Boots the kernel and writes the service key; not timed. */
  @Setup(Level.Trial)
  public void boot() throws IOException {
    cycle = NullDriverCycle.boot(imageReclaimThreshold);
  }

  /** The cycle, for benchmarks outside this package (the peers' side-by-side). */
  public NullDriverCycle cycle() {
    return cycle;
  }

  /** Shuts the kernel down and removes its state directory. */
  @TearDown(Level.Trial)
  public void shutdown() throws IOException {
    cycle.close();
  }
}
