package ntio.kernel;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import ntio.ddk.NtStatus;
import ntio.ddk.ProcessorMode;
import ntio.kernel.executive.BugChecks;
import ntio.kernel.executive.CrashHandler;
import ntio.kernel.executive.CrashReportWriter;
import ntio.kernel.executive.Events;
import ntio.kernel.executive.Pool;
import ntio.kernel.executive.QuotaBlock;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.executive.WorkQueues;
import ntio.kernel.io.IoManager;
import ntio.kernel.verifier.Verifier;
import ntio.kernel.io.ImagePolicySettings;
import ntio.api.CodeIntegrityMode;
import ntio.kernel.loader.CodeIntegrity;
import ntio.kernel.loader.DriverLoader;
import ntio.kernel.loader.ImagePolicy;
import ntio.kernel.loader.MemberPolicy;
import ntio.kernel.loader.LoaderWarmUp;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.pnp.PnpManager;
import ntio.kernel.process.KProcess;
import ntio.kernel.process.KThread;
import ntio.kernel.process.ProcessManager;
import ntio.kernel.registry.Registry;
import ntio.hostfs.HostFiles;
import ntio.kernel.security.LuidAllocator;
import ntio.kernel.security.Sddl;
import ntio.kernel.security.SecurityDescriptor;
import ntio.kernel.security.Sid;
import ntio.kernel.security.Token;
import ntio.kernel.security.Tokens;

/**
 * One running NT kernel: its namespace, registry, processes, pool and worker threads. Everything
 * is an instance — ten kernels in one JVM share nothing.
 *
 * <p>{@link #boot(KernelConfig)} brings the components up in NT's order (security, object manager,
 * processes, executive, configuration manager, I/O manager) on a state directory;
 * {@link #shutdown()} joins the System worker threads, runs every client process down and closes
 * the hive. A bug check halts the kernel: from then on every system service answers
 * {@code STATUS_SYSTEM_SHUTDOWN}, and {@link #shutdown()} still releases what it holds.
 *
 * <p>Implementation notes: the state field is the only mutable state here; the components guard
 * their own.
 */
public final class Kernel implements AutoCloseable {

  /** Where the kernel is in its life. */
  public enum State {
    /** Serving calls. */
    RUNNING,
    /** Stopped by a bug check: calls fail, resources are still held until shutdown. */
    HALTED,
    /** Shut down: everything released. */
    SHUT_DOWN
  }

  /** The name of the registry hive file in the state directory. */
  public static final String HIVE_FILE = "registry/SYSTEM.mv.db";

  /** The folder of the state directory that {@code \SystemRoot\} stands for. */
  public static final String SYSTEM_ROOT = "SystemRoot";

  /** SYSTEM and Administrators all access; Everyone may list and pass through. */
  static final String NAMESPACE_SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGX;;;WD)";

  /** SYSTEM and Administrators all access; Everyone may read and write (the default for devices). */
  static final String DEVICE_SDDL = "D:P(A;;GA;;;SY)(A;;GA;;;BA)(A;;GRGWGX;;;WD)";

  /** SYSTEM and Administrators all access; Everyone reads (as HKLM\SYSTEM on Windows). */
  static final String KEY_SDDL = "D:P(A;;KA;;;SY)(A;;KA;;;BA)(A;;KR;;;WD)";

  private final KernelConfig config;
  private final Tokens tokens;
  private final BugChecks bugChecks;
  private final KernelHalts halts;
  private final ObjectManager objects;
  private final ProcessManager processes;
  private final WorkQueues workQueues;
  private final Pool pool;
  private final Events events;
  private final Registry registry;
  private final IoManager io;
  private final SystemServices services;
  /** The Plug and Play manager. */
  private final PnpManager pnp;
  /** When this kernel booted, by {@link KernelConfig#clock()}. */
  private final java.time.Instant bootTime;

  @GuardedBy("this")
  private State state = State.RUNNING;

  private Kernel(KernelConfig config) throws IOException {
    this.config = config;
    this.bootTime = config.clock().instant();
    Path state = config.stateDirectory();
    // 0700 whatever the umask: the state directory holds the hive and the code the kernel runs.
    HostFiles.createPrivateDirectories(state.resolve(SYSTEM_ROOT).resolve("System32").resolve("drivers"));
    this.tokens = new Tokens(new LuidAllocator());
    Token systemToken = tokens.system();
    CrashHandler handler = config.crashHandler() != null
        ? config.crashHandler()
        : (KernelHalts.ReportingCrashHandler) new CrashReportWriter(state, this::halt, this::verifierFindings)::report;
    this.halts = new KernelHalts(handler, this::imageOf);
    // A bug check always halts this kernel; the handler decides what else happens.
    this.bugChecks = new BugChecks(bugCheck -> {
      halt();
      halts.onBugCheck(bugCheck);
    });
    this.objects = new ObjectManager(systemToken, sddl(NAMESPACE_SDDL));
    this.processes = new ProcessManager(objects, systemToken,
        new QuotaBlock("System", Long.MAX_VALUE, Long.MAX_VALUE));
    this.workQueues = WorkQueues.start(processes.systemThreadFactory("worker"), bugChecks);
    this.pool = new Pool(bugChecks);
    this.events = new Events(objects, sddl(NAMESPACE_SDDL));
    Registry bootedRegistry = null;
    try {
      bootedRegistry = Registry.boot(objects, state.resolve(HIVE_FILE), sddl(KEY_SDDL));
      Path systemRoot = state.resolve(SYSTEM_ROOT);
      // The reclaim's collections run on a critical worker, never on the thread that unloads.
      ImageReclaim reclaim = new ImageReclaim(config.imageReclaimThreshold(),
          routine -> workQueues.queue(WorkQueueType.CRITICAL, routine));
      // The deny list is read once, at boot: the checked-image cache assumes one list per kernel.
      ImagePolicy imagePolicy = config.imagePolicy(systemRoot).withMembers(
          config.deniedMembersEnforced()
              ? ImagePolicySettings.deniedMembers(bootedRegistry, processes.systemThread())
              : MemberPolicy.none());
      // Code integrity reads its mode and trusted publishers from this kernel's registry at each map.
      CodeIntegrityRegistry integrityKey = new CodeIntegrityRegistry(bootedRegistry, objects);
      CodeIntegrity codeIntegrity =
          new CodeIntegrity(integrityKey::settings, () -> config.clock().instant());
      // The load path's checks and the JDK's JAR verification are cold in a fresh JVM (a few
      // hundred ms); warm them while the boot goes on, so the first image mapped does not wait
      // for them. Decides nothing.
      LoaderWarmUp.start("ntio loader warm-up", imagePolicy.members(),
          integrityKey.mode() != CodeIntegrityMode.OFF);
      DriverLoader loader = new DriverLoader(systemRoot, imagePolicy, reclaim, codeIntegrity);
      Verifier verifier = new Verifier(bootedRegistry, objects, processes.systemThread(), pool,
          bugChecks, workQueues, config.clock(), bootTime);
      this.io = new IoManager(objects, bootedRegistry, processes, workQueues, pool, bugChecks, loader,
          verifier, sddl(DEVICE_SDDL), config.clock(), config.driverCallTimeout(), config.processors());
    } catch (RuntimeException e) {
      workQueues.shutdown(config.shutdownTimeout());
      if (bootedRegistry != null) {
        bootedRegistry.close();
      }
      throw e;
    }
    this.registry = bootedRegistry;
    if (bugChecks.isHalted()) {
      registry.hive().sealWrites();
    }
    this.services = new SystemServices(this);
    this.pnp = new PnpManager(io, registry, objects, processes, config.shutdownTimeout());
  }

  /**
   * Boots a kernel on a state directory, creating it if missing.
   *
   * @throws UncheckedIOException if the state directory or the hive cannot be opened
   */
  public static Kernel boot(KernelConfig config) {
    Objects.requireNonNull(config, "config");
    try {
      return new Kernel(config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot boot on " + config.stateDirectory(), e);
    }
  }

  private static SecurityDescriptor sddl(String text) {
    return Sddl.parse(text).descriptor()
        .orElseThrow(() -> new IllegalStateException("bad built-in SDDL " + text));
  }

  /** The system services: the NT calls clients make. */
  public SystemServices services() {
    return services;
  }

  /**
   * When this kernel booted, read from {@link KernelConfig#clock()}: what the verifier's start-up
   * delay counts from (DV6). Models the boot time {@code KeBootTime} (full).
   */
  public java.time.Instant bootTime() {
    return bootTime;
  }

  /** The configuration it was booted with. */
  public KernelConfig config() {
    return config;
  }

  /** The state directory. */
  public Path stateDirectory() {
    return config.stateDirectory();
  }

  /** The token factory, for client tokens. */
  public Tokens tokens() {
    return tokens;
  }

  /** The object manager. */
  public ObjectManager objects() {
    return objects;
  }

  /** The processes. */
  public ProcessManager processes() {
    return processes;
  }

  /** The System worker queues. */
  public WorkQueues workQueues() {
    return workQueues;
  }

  /** The pool. */
  public Pool pool() {
    return pool;
  }

  /** Event objects. */
  public Events events() {
    return events;
  }

  /** The configuration manager. */
  public Registry registry() {
    return registry;
  }

  /** The Plug and Play manager: the device tree and its device actions. */
  public PnpManager pnp() {
    return pnp;
  }

  /** The I/O manager. */
  public IoManager io() {
    return io;
  }

  /**
   * Tells {@code listener} of every driver's loads, load failures and unloads from now on (see
   * {@link ntio.api.DriverEventListener} for the thread it is called on and what it must not do).
   * What a host's log is written from.
   */
  public void addDriverEventListener(ntio.api.DriverEventListener listener) {
    io.driverEvents().add(listener);
  }

  /** Stops telling {@code listener} of driver events; nothing when it was not added. */
  public void removeDriverEventListener(ntio.api.DriverEventListener listener) {
    io.driverEvents().remove(listener);
  }

  /** The bug-check facility. */
  public BugChecks bugChecks() {
    return bugChecks;
  }

  /**
   * Why this kernel halted: its first bug check and the crash report written about it; empty
   * until the crash handler has run.
   */
  public java.util.Optional<ntio.api.KernelHalt> haltReason() {
    return halts.halt();
  }

  /**
   * As {@link #haltReason()}, once this kernel has halted: waits at most {@code timeout} for its
   * crash handler to finish. Empty while it runs, or when the handler did not finish in time.
   */
  public java.util.Optional<ntio.api.KernelHalt> awaitHaltReason(java.time.Duration timeout)
      throws InterruptedException {
    return isRunning() ? java.util.Optional.empty() : halts.awaitHalt(timeout);
  }

  /**
   * Calls {@code listener} once when this kernel halts, after its crash report was written, on
   * the thread that raised the bug check and with no kernel lock held; or at once, on this
   * thread, when it has already halted. The listener must not block on driver code or clients:
   * what a host logs the bug check with and starts its reboot from.
   */
  public void onHalt(java.util.function.Consumer<ntio.api.KernelHalt> listener) {
    halts.listen(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * The image file of the driver a bug check names: the name itself when it is an image's ({@code
   * Leaky.jar}), else the file of the service's {@code ImagePath} ({@code Faulty} → {@code
   * Faulty.jar}), read as the kernel reads its own configuration (a halted kernel still can), else
   * the name.
   */
  private String imageOf(String driver) {
    Registry hive = registry;
    if (driver.toLowerCase(java.util.Locale.ROOT).endsWith(".jar") || hive == null) {
      return driver;
    }
    ntio.ddk.RegValue image = hive.queryKernelValues(processes.systemThread(),
        "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\" + driver, "ImagePath").get("ImagePath");
    String path = image == null ? "" : image.expandStringValue().or(image::stringValue).orElse("");
    String file = path.substring(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
    return file.isEmpty() ? driver : file;
  }

  /** The verifier's non-fatal findings, one line each, for the crash report. */
  private List<String> verifierFindings() {
    IoManager manager = io;
    if (manager == null) {
      return List.of();
    }
    return manager.verifier().findings().stream()
        .map(f -> f.at() + " " + f.imageName() + " " + f.check() + ": " + f.message())
        .toList();
  }

  /** Where the kernel is in its life. */
  public synchronized State state() {
    return state;
  }

  /**
   * Whether calls are served: false from the instant a bug check is raised (before its crash
   * handler has run), and after shutdown.
   */
  public synchronized boolean isRunning() {
    return state == State.RUNNING && !bugChecks.isHalted();
  }

  /**
   * Creates a user-mode client process with its own handle table and the configured quota.
   *
   * @param name the name shown in listings
   * @param token its primary token, from {@link #tokens()}
   */
  public KProcess createProcess(String name, Token token) {
    return processes.createProcess(name, token,
        new QuotaBlock(name, config.processPagedQuota(), config.processNonPagedQuota()));
  }

  /**
   * A user-mode thread of a new client process holding an administrator token for {@code user}:
   * what an administrator's tool gets.
   */
  public KThread administratorSession(String name, Sid user) {
    return createProcess(name, tokens.administrator(user)).thread(ProcessorMode.USER);
  }

  /** A user-mode thread of a new client process holding a standard-user token for {@code user}. */
  public KThread userSession(String name, Sid user) {
    return createProcess(name, tokens.standardUser(user)).thread(ProcessorMode.USER);
  }

  /**
   * Runs every client process down with {@code STATUS_SYSTEM_SHUTDOWN}, so that their handles close
   * and the unloads they deferred can finish; {@code beforeEach} is given each process's name just
   * before it is run down. What a host does before it unloads its drivers.
   */
  public void runDownClientProcesses(java.util.function.Consumer<String> beforeEach) {
    for (KProcess process : processes.processes()) {
      if (process != processes.systemProcess()) {
        beforeEach.accept(process.name());
        processes.terminate(process, NtStatus.STATUS_SYSTEM_SHUTDOWN);
      }
    }
  }

  /** A kernel-mode System thread, for the kernel's own calls. */
  public KThread systemThread() {
    return processes.systemThread();
  }

  /**
   * The crash handler's stop: the kernel stops serving calls and the hive takes no more writes.
   * Final: nothing starts the kernel again, whatever driver code catches.
   */
  void halt() {
    synchronized (this) {
      if (state == State.RUNNING) {
        state = State.HALTED;
      }
    }
    // Null only for a bug check raised while the kernel boots, before its hive is open; the
    // constructor seals the hive then.
    Registry hive = registry;
    if (hive != null) {
      hive.hive().sealWrites();
    }
  }

  /**
   * Shuts the kernel down: client processes are run down, the System worker threads finish what
   * is queued and are joined, the hive is flushed and closed. Idempotent.
   *
   * @return the worker threads that did not stop in time (empty when all joined)
   */
  public List<Thread> shutdown() {
    synchronized (this) {
      if (state == State.SHUT_DOWN) {
        return List.of();
      }
      state = State.SHUT_DOWN;
    }
    for (KProcess process : processes.processes()) {
      if (process != processes.systemProcess()) {
        try {
          processes.terminate(process, NtStatus.STATUS_SYSTEM_SHUTDOWN);
        } catch (ntio.kernel.executive.BugCheckException e) {
          // A halted kernel refuses its drivers' calls, so a cleanup may unwind; the process is
          // run down all the same and the shutdown goes on.
        }
      }
    }
    if (!bugChecks.isHalted()) {
      try {
        // Spec §1.B: every PnP device is removed before any driver is unloaded.
        pnp.removeAllDevices();
      } catch (ntio.kernel.executive.BugCheckException e) {
        // A driver's REMOVE_DEVICE raised it and the kernel halted; the shutdown goes on.
      }
    }
    pnp.shutdown();
    if (!bugChecks.isHalted()) {
      try {
        io.notifyShutdown();
      } catch (ntio.kernel.executive.BugCheckException e) {
        // A driver's shutdown routine raised it and the kernel halted; the shutdown goes on.
      }
    }
    io.stopTimers();
    List<Thread> stuck = workQueues.shutdown(config.shutdownTimeout());
    registry.close();
    return stuck;
  }

  /** {@link #shutdown()}. */
  @Override
  public void close() {
    shutdown();
  }
}
