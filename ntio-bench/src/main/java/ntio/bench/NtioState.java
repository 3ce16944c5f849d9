package ntio.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A kernel with the Null service installed, booted once per trial in a temporary directory. */
@State(Scope.Thread)
public class NtioState {
  NullDriverCycle cycle;

  /** Boots the kernel and writes the service key; not timed. */
  @Setup(Level.Trial)
  public void boot() throws IOException {
    cycle = NullDriverCycle.boot();
  }

  /** Shuts the kernel down and removes its state directory. */
  @TearDown(Level.Trial)
  public void shutdown() throws IOException {
    cycle.close();
  }
}
