package ntio.bench.peers;

import java.io.IOException;
import ntio.bench.NullDriverCycle;
import ntio.kernel.loader.ImageReclaim;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel with the Null service installed from an unsigned copy of {@code Null.jar}: the unit as
 * PF4J and Felix get theirs, with no signature for code integrity to verify. Set against {@code
 * ntio}'s signed image, it shows what the signature check costs a cold first cycle. Booted once
 * per trial.
 */
@State(Scope.Thread)
public class UnsignedNtioState {
  NullDriverCycle cycle;

  /** Boots the kernel and writes the unsigned image and the service key; not timed. */
  @Setup(Level.Trial)
  public void boot() throws IOException {
    cycle = NullDriverCycle.bootUnsigned(ImageReclaim.DEFAULT_THRESHOLD);
  }

  /** Shuts the kernel down and removes its state directory. */
  @TearDown(Level.Trial)
  public void shutdown() throws IOException {
    cycle.close();
  }
}
