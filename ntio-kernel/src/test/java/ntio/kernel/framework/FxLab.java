package ntio.kernel.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import ntio.api.LuidAndAttributes;
import ntio.api.OpenResult;
import ntio.api.Privilege;
import ntio.api.ValueResult;
import ntio.api.VerifierFinding;
import ntio.ddk.AccessMask;
import ntio.ddk.DriverObject;
import ntio.ddk.Handle;
import ntio.ddk.KernelServices.DriverResult;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.framework.Wdf;
import ntio.framework.WdfDriverConfig;
import ntio.framework.WdfDriverEntry;
import ntio.framework.WdfEntry;
import ntio.kernel.Kernel;
import ntio.kernel.KernelConfig;
import ntio.kernel.SystemServices;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;
import ntio.kernel.testing.DriverJars;
import ntio.kernel.testing.ServiceInstaller;

/**
 * A booted kernel for framework tests: builtin framework drivers whose entry is test code (run
 * inside the driver with its real services), framework driver images installed as services, the
 * kernel's bug checks (recorded, not fatal to the JVM), its verifier findings, and an event log
 * callbacks append to. Public for the framework tests of subpackages ({@code pnp}).
 */
public final class FxLab implements AutoCloseable {

  public static final String SERVICES = ServiceInstaller.SERVICES;
  /** What the kernel gives DriverEntry: the resolved service key. */
  public static final String RESOLVED_SERVICES = "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\";

  public final Kernel kernel;
  public final SystemServices nt;
  public final KThread admin;
  public final List<BugCheck> bugChecks = new CopyOnWriteArrayList<>();
  /** The ordered callbacks and markers a test's driver records. */
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final ServiceInstaller installer;

  public FxLab(Path state) {
    this.kernel = Kernel.boot(KernelConfig.of(state).withCrashHandler(bugChecks::add));
    this.nt = kernel.services();
    this.admin = kernel.administratorSession("installer", Sid.unixUser(1000));
    assertThat(nt.ntAdjustPrivilegesToken(admin,
        List.of(LuidAndAttributes.enable(Privilege.SE_LOAD_DRIVER_PRIVILEGE))).status())
        .isEqualTo(NtStatus.STATUS_SUCCESS);
    this.installer = new ServiceInstaller(kernel, admin);
  }

  @Override
  public void close() {
    kernel.shutdown();
  }

  public void event(String what) {
    events.add(what);
  }

  public List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  // Builtin framework drivers ---------------------------------------------------------------------

  /** What a builtin framework driver's entry left for the test: its framework and driver object. */
  record Bound(NtStatus status, Wdf wdf, DriverObject driver) {}

  /**
   * Creates the builtin driver {@code \Driver\<service>} whose DriverEntry runs {@code entry}
   * behind the framework's stub, bound as if its service key were {@code Services\<service>} (the
   * framework reads its verifier settings there).
   */
  Bound builtin(String service, WdfEntry entry) {
    AtomicReference<Wdf> wdf = new AtomicReference<>();
    AtomicReference<DriverObject> driver = new AtomicReference<>();
    DriverResult created = kernel.io().createDriver("\\Driver\\" + service,
        WdfDriverEntry.of(UnicodeString.of(RESOLVED_SERVICES + service), (w, d, path) -> {
          wdf.set(w);
          driver.set(d);
          return entry.entry(w, d, path);
        }));
    return new Bound(created.status(), wdf.get(), driver.get());
  }

  /**
   * A builtin framework driver of {@code service} whose DriverEntry only calls WdfDriverCreate, as a
   * non-PnP driver with an empty EvtDriverUnload, expecting success; its framework.
   */
  Wdf nonPnpDriver(String service) {
    Bound bound = builtin(service, (w, d, path) ->
        w.driverCreate(d, path, null, WdfDriverConfig.nonPnp().driverUnload(x -> { })).status());
    assertThat(bound.status()).as("builtin driver %s", service).isEqualTo(NtStatus.STATUS_SUCCESS);
    return bound.wdf();
  }

  /** Turns the framework verifier on for {@code service}: {@code Parameters\Wdf\VerifierOn = 1}, plus {@code more}. */
  public void kmdfVerifier(String service, RegValue... more) {
    String key = SERVICES + service + "\\Parameters\\Wdf";
    setValue(key, RegValue.dword("VerifierOn", 1));
    for (RegValue value : more) {
      setValue(key, value);
    }
  }

  /** Writes Driver Verifier's registry values (DV1) for {@code drivers} at {@code level}. */
  public void driverVerifier(String drivers, int level) {
    installer.verifyDrivers(drivers, level);
  }

  // Images ------------------------------------------------------------------------------------------

  /** Writes {@code <service>.jar} with {@code entry} (and its nested classes) and installs the service. */
  public void installImage(String service, Class<?> entry, Class<?>... more) {
    DriverJars.image(service + ".jar").entry(entry).add(more).wdm(false).writeTo(installer.drivers());
    installService(service, service + ".jar");
  }

  /**
   * Writes {@code <service>.jar} as a WDM image (a PnP driver, as every KMDF driver is) with {@code
   * entry} (and its nested classes) and installs the service.
   */
  public void installPnpImage(String service, Class<?> entry, Class<?>... more) {
    DriverJars.image(service + ".jar").entry(entry).add(more).wdm(true).writeTo(installer.drivers());
    installService(service, service + ".jar");
  }

  /** Copies the sample {@code <name>.jar} the build made and installs it. */
  public void installSample(String name) {
    installer.installSample(name);
  }

  public void installService(String service, String imageFile) {
    installer.installService(service, imageFile);
  }

  /** Sets a value, creating the key and every missing key above it. */
  public void setValue(String keyPath, RegValue value) {
    installer.setValue(keyPath, value);
  }

  /**
   * A value under a key, or null when either is missing; read straight from the registry as the
   * System process, so that it works after a bug check halted the kernel too.
   */
  public RegValue value(String keyPath, String name) {
    KThread system = kernel.systemThread();
    OpenResult opened = kernel.registry().ntOpenKey(system, AccessMask.KEY_READ,
        new ObjectAttributes(Handle.NULL, UnicodeString.of(keyPath),
            ObjectAttributes.OBJ_CASE_INSENSITIVE | ObjectAttributes.OBJ_KERNEL_HANDLE));
    if (!opened.status().isSuccess()) {
      return null;
    }
    try {
      ValueResult value = kernel.registry().ntQueryValueKey(system, opened.handle(), UnicodeString.of(name));
      return value.status().isSuccess() ? value.value() : null;
    } finally {
      kernel.objects().close(opened.handle(), system);
    }
  }

  public NtStatus load(String service) {
    return nt.ntLoadDriver(admin, UnicodeString.of(SERVICES + service));
  }

  public NtStatus unload(String service) {
    return nt.ntUnloadDriver(admin, UnicodeString.of(SERVICES + service));
  }

  public boolean driverExists(String service) {
    return kernel.io().drivers().stream().anyMatch(d -> d.name().equalsIgnoreCase("\\Driver\\" + service));
  }

  // Observing -----------------------------------------------------------------------------------

  /** The verifier findings against {@code image} (an image name such as {@code Tidy.jar}, or a builtin's service). */
  public List<VerifierFinding> findings(String image) {
    return kernel.io().verifier().findings().stream()
        .filter(f -> f.imageName().equals(image) || f.imageName().endsWith("\\" + image)).toList();
  }

  /** The checks of every finding, in order. */
  public List<String> checks() {
    return kernel.io().verifier().findings().stream().map(VerifierFinding::check).toList();
  }

  /** Pool still allocated by {@code owner}. */
  public List<PoolAllocation> livePool(String owner) {
    return kernel.pool().liveAllocations().stream().filter(a -> a.owner().name().equals(owner) || a.owner().name().endsWith("\\" + owner)).toList();
  }

  /** What a {@link ntio.kernel.framework.script.FxScriptDriver} recorded: its events, in order. */
  List<String> observedEvents(String service) {
    RegValue events = value(SERVICES + service + "\\Observed", "Events");
    return events == null ? List.of() : events.multiStringValue().orElseThrow();
  }

  /** A note a script driver wrote, such as {@code Tag}; null when it wrote none. */
  String observedNote(String service, String name) {
    RegValue note = value(SERVICES + service + "\\Observed", name);
    return note == null ? null : note.stringValue().orElseThrow();
  }

  /** Installs the script driver as {@code service} with these steps. */
  void installScript(String service, String... steps) {
    installImage(service, ntio.kernel.framework.script.FxScriptDriver.class);
    setValue(SERVICES + service + "\\Parameters", RegValue.multiString("Script", List.of(steps)));
  }

  BugCheck onlyBugCheck() {
    assertThat(bugChecks).as("bug checks").hasSize(1);
    return bugChecks.get(0);
  }
}
