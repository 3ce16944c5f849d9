package ntio.bench.pnp;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * Plug, start and remove of one toaster-shaped device per operation, as cycles per second: the bus
 * reports a new child (IOCTL, IoInvalidateDeviceRelations), the PnP manager enumerates it, loads
 * its drivers if needed, calls AddDevice for the function driver and the upper filter, sends
 * IRP_MN_START_DEVICE; then the bus stops reporting it, and the PnP manager sends
 * IRP_MN_SURPRISE_REMOVAL and IRP_MN_REMOVE_DEVICE and deletes the devnode. Each half waits until
 * the PnP manager is idle.
 *
 * <p>{@code resident}: {@code false}, the child is the drivers' only device, so every cycle also
 * loads the function driver and the filter (DriverEntry) and unloads them at the removal (the
 * toaster story's last unplug); {@code true}, another child stays plugged, so the drivers stay
 * loaded and only the devnode and its stack come and go.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PnpPlugCycle {

  /** A booted rig; with {@code resident}, child 0 stays plugged for the whole trial. */
  @State(Scope.Thread)
  public static class Rig {
    @Param({"false", "true"})
    public boolean resident;

    PnpBusRig rig;
    int next = 1;

    @Setup(Level.Trial)
    public void boot() throws IOException {
      rig = PnpBusRig.boot();
      if (resident) {
        rig.plug(0);
      }
    }

    @TearDown(Level.Trial)
    public void shutDown() throws IOException {
      rig.close();
    }
  }

  /** One child plugged (and started), then unplugged (and removed). */
  @Benchmark
  public int plugStartRemove(Rig state) {
    int serial = state.next++;
    state.rig.plug(serial);
    state.rig.unplug(serial);
    return serial;
  }
}
