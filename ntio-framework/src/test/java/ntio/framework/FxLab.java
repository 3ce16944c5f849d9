package ntio.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices.DriverResult;
import ntio.ddk.NtStatus;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.ddk.testkit.BugCheck;
import ntio.ddk.testkit.TestKernel;
import ntio.ddk.testkit.VerifierFinding;

/**
 * The DDK test kit's kernel for framework unit tests: builtin framework drivers whose entry is test
 * code (run inside the driver, on the kit's services), the registry values it reads, its pool,
 * the bug checks raised (recorded, the kit then halted), the verifier breaks, and an event log
 * callbacks append to. A test that needs what the kit does not model (images, devices, requests
 * from clients, Driver Verifier, timers, work items, trace providers) runs on a real kernel, in
 * ntio-kernel's framework tests.
 */
final class FxLab implements AutoCloseable {

  /** What the kernel gives DriverEntry: the resolved service key. */
  static final String RESOLVED_SERVICES = "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\";

  final TestKernel kernel = new TestKernel();
  /** The bug checks raised, as they are raised. */
  final List<BugCheck> bugChecks = kernel.bugChecks();
  /** The ordered callbacks and markers a test's driver records. */
  private final List<String> events = new CopyOnWriteArrayList<>();

  /** Nothing to shut down: the kit keeps no threads. */
  @Override
  public void close() {}

  void event(String what) {
    events.add(what);
  }

  /** The events so far, in order: a snapshot. */
  List<String> events() {
    return List.copyOf(events);
  }

  /** What a builtin framework driver's entry left for the test: its framework and driver object. */
  record Bound(NtStatus status, Wdf wdf, DriverObject driver) {}

  /**
   * Creates the builtin driver {@code \Driver\<service>} whose DriverEntry runs {@code entry}
   * behind the framework's stub, bound as if its service key were {@code Services\<service>}.
   */
  Bound builtin(String service, WdfEntry entry) {
    Binding binding = new Binding(entry);
    DriverResult created = kernel.createDriver("\\Driver\\" + service,
        WdfDriverEntry.of(UnicodeString.of(RESOLVED_SERVICES + service), binding));
    return new Bound(created.status(), binding.wdf, binding.driver);
  }

  /** A test's entry that remembers the framework and driver object it ran with. */
  private static final class Binding implements WdfEntry {
    private final WdfEntry entry;
    private Wdf wdf;
    private DriverObject driver;

    Binding(WdfEntry entry) {
      this.entry = entry;
    }

    @Override
    public NtStatus entry(Wdf wdf, DriverObject driver, UnicodeString registryPath) {
      this.wdf = wdf;
      this.driver = driver;
      return entry.entry(wdf, driver, registryPath);
    }
  }

  /** Turns the framework verifier on for {@code service}: {@code Parameters\Wdf\VerifierOn = 1}, plus {@code more}. */
  void kmdfVerifier(String service, RegValue... more) {
    String key = RESOLVED_SERVICES + service + "\\Parameters\\Wdf";
    kernel.setValue(key, RegValue.dword("VerifierOn", 1));
    for (RegValue value : more) {
      kernel.setValue(key, value);
    }
  }

  /** The verifier findings against the builtin driver of {@code service}. */
  List<VerifierFinding> findings(String service) {
    return kernel.findings().stream().filter(f -> names(f.driver(), service)).toList();
  }

  /** The checks of every verifier break, in order. */
  List<String> checks() {
    return kernel.findings().stream().map(VerifierFinding::check).toList();
  }

  /** Pool still allocated by the builtin driver of {@code service}. */
  List<TestKernel.PoolAllocation> livePool(String service) {
    return kernel.livePool().stream().filter(a -> names(a.driver(), service)).toList();
  }

  private static boolean names(String driver, String service) {
    return driver != null && (driver.equals(service) || driver.endsWith("\\" + service));
  }

  BugCheck onlyBugCheck() {
    assertThat(bugChecks).as("bug checks").hasSize(1);
    return bugChecks.get(0);
  }
}
