package ntio.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The Null image written once per trial to a temporary directory, for the floor. */
@State(Scope.Thread)
public class FloorState {
  ClassLoaderFloor floor;

  /** Writes the image; not timed. */
  @Setup(Level.Trial)
  public void create() throws IOException {
    floor = ClassLoaderFloor.create();
  }

  /** The floor, for benchmarks outside this package (the peers' side-by-side). */
  public ClassLoaderFloor floor() {
    return floor;
  }

  /** Removes the image. */
  @TearDown(Level.Trial)
  public void delete() throws IOException {
    floor.close();
  }
}
