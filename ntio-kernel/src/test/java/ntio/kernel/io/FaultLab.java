package ntio.kernel.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.RegValue;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.verifier.Verifier;
import ntio.kernel.verifier.faults.FaultLabDriver;

/**
 * An {@link IoLab} on a simulated clock, with the {@link FaultLabDriver} image at hand: what the
 * verifier's pool and fault-injection tests share.
 */
final class FaultLab implements AutoCloseable {

  /** A clock that moves only when the test moves it. */
  static final class SimulatedClock implements InstantSource {
    private final AtomicReference<Instant> now;

    SimulatedClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration by) {
      now.updateAndGet(instant -> instant.plus(by));
    }
  }

  static final Instant BOOT = Instant.parse("2024-01-01T00:00:00Z");

  final SimulatedClock clock = new SimulatedClock(BOOT);
  final IoLab lab;
  final Verifier verifier;

  FaultLab(Path state) {
    lab = IoLab.boot(KernelConfig.of(state).withClock(clock));
    verifier = lab.kernel.io().verifier();
  }

  /** Writes {@code <service>.jar} holding the fault lab driver, installs it, sets its Parameters. */
  void install(String service, String mode, RegValue... parameters) {
    DriverJars.image(service + ".jar").entry(FaultLabDriver.class).writeTo(lab.kernel.stateDirectory()
        .resolve(Kernel.SYSTEM_ROOT).resolve("System32").resolve("drivers"));
    lab.installService(service, service + ".jar");
    String key = IoLab.SERVICES + service + "\\Parameters";
    lab.setValue(key, RegValue.string("Mode", mode));
    for (RegValue value : parameters) {
      lab.setValue(key, value);
    }
  }

  /** Sets {@code burst} mode's targets and count. */
  void burst(String service, int count, String... targets) {
    String key = IoLab.SERVICES + service + "\\Parameters";
    lab.setValue(key, RegValue.dword("Count", count));
    lab.setValue(key, RegValue.multiString("Targets", List.of(targets)));
  }

  /** Writes values under {@code Session Manager\Memory Management}, creating the keys. */
  void verifyInRegistry(RegValue... values) {
    for (RegValue value : values) {
      lab.setValue(Verifier.MEMORY_MANAGEMENT, value);
    }
  }

  IoLab.Observed observed(String service) {
    return lab.observed(service);
  }

  @Override
  public void close() {
    lab.close();
  }
}
