package ntio.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** A kernel with Null loaded and {@code \Device\Null} open, booted once per trial. */
@State(Scope.Thread)
public class NullDeviceState {
  NullDevice device;

  /** Boots the kernel, loads Null, opens the device and checks one read; not timed. */
  @Setup(Level.Trial)
  public void open() throws IOException {
    device = NullDevice.open();
    device.readNothing();
  }

  /** Closes the device, unloads Null, shuts the kernel down and removes its state directory. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    device.close();
  }
}
