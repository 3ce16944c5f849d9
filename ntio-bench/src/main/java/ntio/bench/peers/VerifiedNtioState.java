package ntio.bench.peers;

import java.io.IOException;
import java.time.Duration;
import ntio.api.VerifierSettings;
import ntio.bench.NullDriverCycle;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.verifier.LoaderProbeStatistics;
import ntio.kernel.verifier.Verifier;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel with the Null service installed and Driver Verifier watching {@code Null.jar} with the
 * standard flags ({@code verifier /volatile /standard /driver Null.jar}): every load is verified,
 * with pool tracking, the leak scan at unload and the class-loader probe (DV8), batched on a System
 * worker. Booted once per trial.
 */
@State(Scope.Thread)
public class VerifiedNtioState {
  NullDriverCycle cycle;

  /** Boots the kernel, writes the service key and sets the verifier; not timed. */
  @Setup(Level.Trial)
  public void boot() throws IOException {
    cycle = NullDriverCycle.boot(ImageReclaim.DEFAULT_THRESHOLD);
    cycle.verify(VerifierSettings.STANDARD_FLAGS);
  }

  /**
   * Checks that the verifier did watch the loads and probed the unloaded images' class loaders,
   * then shuts the kernel down.
   *
   * <p>The probes' verdicts are printed, not enforced: in a tight loop a batch now and then finds
   * one or two of thousands of loaders still reachable (a non-fatal DV8 finding), which is the
   * verifier's business to explain, not a cycle that failed.
   */
  @TearDown(Level.Trial)
  public void shutdown() throws IOException {
    try {
      Verifier verifier = cycle.kernel().io().verifier();
      if (verifier.query(NullDriverCycle.imageName()).isEmpty()) {
        throw new IllegalStateException(NullDriverCycle.imageName() + " was never verified");
      }
      if (!verifier.awaitLoaderProbes(Duration.ofSeconds(30))) {
        throw new IllegalStateException("the verifier's class-loader probes did not finish in 30 s");
      }
      LoaderProbeStatistics probes = verifier.loaderProbeStatistics();
      if (probes.probes() == 0) {
        throw new IllegalStateException("the verifier probed no class loader: " + probes);
      }
      System.err.println("verifier: " + probes + "; " + verifier.findings().size() + " findings");
    } finally {
      cycle.close();
    }
  }
}
