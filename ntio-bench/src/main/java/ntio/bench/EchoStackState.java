package ntio.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel with Echo loaded, {@link #depth}&nbsp;− 1 Filters stacked on it and {@code \Device\Echo}
 * open, booted once per trial.
 */
@State(Scope.Thread)
public class EchoStackState {
  EchoStack stack;

  /** The device objects in Echo's stack: 1 is Echo alone, 4 is Echo under three Filters. */
  @Param({"1", "2", "4"})
  public int depth;

  /** Boots the kernel, loads the drivers, opens the device and checks one round trip; not timed. */
  @Setup(Level.Trial)
  public void open() throws IOException {
    stack = EchoStack.open(depth);
    stack.writeThenRead();
  }

  /** Closes the device, unloads the drivers, shuts the kernel down and removes its directory. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    stack.close();
  }
}
