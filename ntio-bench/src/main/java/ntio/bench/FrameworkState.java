package ntio.bench;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.NtStatus;
import ntio.framework.Wdf;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
import ntio.framework.WdfObjectAttributes;
import ntio.kernel.loader.ImageReclaim;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel with one builtin framework driver whose WDFDRIVER exists: the {@link Wdf} its
 * DriverEntry was given, for the benchmark to create and delete objects under the driver, as a
 * driver's own code does. Booted once per trial.
 */
@State(Scope.Thread)
public class FrameworkState {

  BenchKernel bench;
  Wdf wdf;

  /** Boots and creates the driver; not timed. */
  @Setup(Level.Trial)
  public void create() throws IOException {
    bench = BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, booted -> booted);
    AtomicReference<Wdf> bound = new AtomicReference<>();
    NtStatus created = bench.kernel().io().createDriver("\\Driver\\FxBench", WdfDriverEntry.of((framework, driver, path) -> {
      bound.set(framework);
      return framework.driverCreate(driver, path, WdfObjectAttributes.init(), WdfDriverConfig.nonPnp()).status();
    })).status();
    BenchKernel.check("IoCreateDriver(\\Driver\\FxBench) with WdfDriverCreate", created);
    wdf = bound.get();
  }

  /** Shuts the kernel down. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    bench.close();
  }
}
