package ntio.host.daemon;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import ntio.api.DriverInfo;
import ntio.api.KernelHalt;
import ntio.api.RunningDriverCall;
import ntio.api.StartDriverOutcome;
import ntio.ddk.NtStatus;
import ntio.hostfs.FileTrust;
import ntio.kernel.EmbeddedKernels;
import ntio.kernel.Kernel;
import ntio.kernel.LocalNt;
import ntio.kernel.SystemDrivers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running host: a kernel booted on a state directory, its start drivers loaded, and its Unix
 * domain socket served, until {@link #shutdown()}.
 *
 * <p>{@link #start(HostOptions)} does, in order: check that the state directory is the host's
 * ({@link StateDirectoryTrust}: refused, with every problem named, before anything in it is read
 * or written); take the state directory's lock ({@link
 * HostLock}: a second host on the same directory is refused with a message naming the first);
 * boot the kernel, whose loader then refuses a driver image another user could have written
 * ({@link ntio.kernel.loader.ImagePolicy#requiringOwnership}); load the boot, system and auto start drivers in B42's order ({@link
 * SystemDrivers#loadStartDrivers}), logging each outcome and skipping failures; start the listener (which replaces a
 * stale socket file a killed host left behind and makes the socket mode 0660); give the socket the
 * socket group (else the admin group) when one is set; install a JVM shutdown hook, so that
 * SIGTERM and SIGINT shut down cleanly.
 *
 * <p>A bug check is logged at ERROR with its crash report's id the moment the kernel halts. With
 * {@code CrashControl\AutoReboot} set (the default: {@link CrashControl}), the host then reboots
 * its kernel: it stops serving (clients are disconnected as by a reboot), shuts the halted kernel
 * down, boots a new one on the same state directory, loads the start drivers again and serves
 * again. A driver whose own boot start raised the bug check is left out of the automatic reboots
 * of this host ({@code sc query} says why); at most {@link RebootBudget} reboots happen in a
 * window, after which the kernel stays halted, as with {@code AutoReboot} = 0, until the host is
 * restarted.
 *
 * <p>{@link #shutdown()} undoes it: stop serving; run the client processes down, so that their
 * handles close and deferred unloads can finish; unload every loaded driver in reverse load order
 * with NtUnloadDriver from a kernel-mode System thread, logging the ones whose unload is deferred
 * or refused; shut the kernel down (the hive is flushed and closed); delete the socket file;
 * release and delete the lock. The steps that run driver code (rundown, unloads, the kernel's
 * shutdown) get {@link HostOptions#shutdownGrace()}; if driver code is still running after it,
 * the shutdown writes a report naming the hung driver ({@link ShutdownReport#hung()}), leaves the
 * kernel as it is and releases the lock, and the process must end with {@link
 * #HUNG_DRIVER_EXIT_CODE} (the shutdown hook halts the JVM).
 *
 * <p>Logs go through SLF4J (logger {@code ntio.host.daemon.HostRuntime}); every driver's load,
 * load failure and unload is logged by a {@link DriverLog} the host registers on its kernel.
 *
 * <p>Implementation notes: the state field is guarded by {@code this}; {@link #shutdown()} holds
 * it for the whole shutdown, so a second caller (the shutdown hook racing {@code main}) waits for
 * the first and gets the same report.
 */
public final class HostRuntime {

  private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);

  /** What serves the socket; closing it stops serving and disconnects the clients. */
  public interface Listener extends AutoCloseable {
    /** Stops serving. Idempotent; throws nothing. */
    @Override
    void close();
  }

  /** Starts a {@link Listener}: for the wire protocol, {@code SocketServer.start(...)}. */
  @FunctionalInterface
  public interface ListenerFactory {

    /**
     * The wire protocol's {@link SocketServer}: administrators are uid 0, the host's own uid and
     * the members of the admin group; clients are bounded by the options' {@link ServerLimits}.
     */
    ListenerFactory DEFAULT = (kernel, options) -> {
      ClientPolicy policy;
      try {
        policy = ClientPolicy.forThisHost(options.adminGroupName().map(Set::of).orElse(Set.of()));
      } catch (IllegalArgumentException e) {
        throw new IOException("cannot serve " + options.socketPath() + ": " + e.getMessage(), e);
      }
      SocketServer server = SocketServer.start(kernel, options.socketPath(), policy, options.limits());
      return server::close;
    };

    /**
     * Starts serving {@code options.socketPath()} for {@code kernel}. The socket file must exist
     * when this returns.
     *
     * @throws IOException if the socket cannot be bound
     */
    Listener start(Kernel kernel, HostOptions options) throws IOException;
  }

  /**
   * What NtUnloadDriver did with one driver at shutdown.
   *
   * @param service the service name
   * @param loadOrder its load sequence number
   * @param status what NtUnloadDriver returned
   * @param deferred whether the driver object was still there afterwards (open handles or
   *     attached devices keep it until they go; the kernel's shutdown then leaves it loaded)
   */
  public record Unload(String service, long loadOrder, NtStatus status, boolean deferred) {}

  /**
   * What {@link #shutdown()} did.
   *
   * @param unloads one entry per driver, in the order they were unloaded (reverse load order)
   * @param stuckThreads the names of worker threads that did not stop in time
   * @param hung whether driver code outlived the grace period, so that the process must end
   *     without it (see {@link #HUNG_DRIVER_EXIT_CODE})
   * @param hungDrivers the DriverEntry and DriverUnload calls still running then ({@code
   *     DriverUnload of \Driver\Echo}); empty when a hang is elsewhere or there was none
   * @param hungReport the report written about it, when one was
   */
  public record ShutdownReport(List<Unload> unloads, List<String> stuckThreads, boolean hung,
      List<String> hungDrivers, Optional<Path> hungReport) {

    /** A shutdown that finished within its grace period. */
    public ShutdownReport(List<Unload> unloads, List<String> stuckThreads) {
      this(unloads, stuckThreads, false, List.of(), Optional.empty());
    }
  }

  /**
   * The exit code of a host whose shutdown's grace period ran out with driver code still running
   * (cli.md): the JVM is halted, since that code cannot be stopped and would block a normal exit.
   */
  public static final int HUNG_DRIVER_EXIT_CODE = 4;

  /** The life of a host. RUNNING → STOPPING → STOPPED, once, by {@link #shutdown()}. */
  private enum State { RUNNING, STOPPING, STOPPED }

  /** How long the automatic reboot waits for the halt notices and the crashing call's reply to go out. */
  static final java.time.Duration HALT_NOTICE_GRACE = java.time.Duration.ofMillis(200);

  private final HostOptions options;
  private final HostLock lock;
  private final FileTrust fileTrust;
  private final RebootBudget rebootBudget = RebootBudget.standard();
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** The kernel now; replaced by each automatic reboot. */
  @GuardedBy("this")
  private Kernel kernel;

  @GuardedBy("this")
  private SystemDrivers drivers;

  @GuardedBy("this")
  private List<StartDriverOutcome> started = List.of();

  /** The start services left out of automatic reboots, each with why: the ones whose boot start bug-checked. */
  @GuardedBy("this")
  private final Map<String, String> notStarted = new LinkedHashMap<>();
  /** Logs each driver's story (load, failure, unload, deferred unload), registered on every kernel booted. */
  private final DriverLog driverLog = new DriverLog();

  /** Whether a halt reboots: {@code AutoReboot} once serving; volatile, as a kernel thread must not wait for a shutdown. */
  private volatile boolean rebootOnHalt;

  /** Automatic reboots done, for tests and the log. */
  private volatile int reboots;

  @GuardedBy("this")
  private Listener listener;

  @GuardedBy("this")
  private State state = State.RUNNING;

  @GuardedBy("this")
  private ShutdownReport report;

  @GuardedBy("this")
  private Thread hook;

  private HostRuntime(HostOptions options, HostLock lock, FileTrust fileTrust) {
    this.options = options;
    this.lock = lock;
    this.fileTrust = fileTrust;
  }

  /**
   * Starts a host as the options say.
   *
   * @throws StateDirectoryTrust.UntrustedStateDirectoryException if the state directory, or
   *     what the host trusts in it, is not the host's; nothing was started
   * @throws HostLock.HostAlreadyRunningException if another host holds the state directory
   * @throws UncheckedIOException if the state directory, the hive or the socket cannot be used;
   *     whatever was started is stopped again and the lock released
   */
  public static HostRuntime start(HostOptions options) {
    Path state = options.stateDirectory();
    StateDirectoryTrust trust = StateDirectoryTrust.forThisProcess();
    trust.prepare(state, options.socketPath());
    HostLock lock = HostLock.acquire(options.lockFile(), options.socketPath(), trust.fileTrust());
    LOG.info("ntio host starting on {} (pid {})", state, lock.holder().pid());
    HostRuntime host = new HostRuntime(options, lock, trust.fileTrust());
    try {
      host.bootKernel(true);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
    try {
      host.listen();
    } catch (IOException | RuntimeException e) {
      LOG.error("ntio host failed to start on {}: {}", state, e.toString());
      host.kernel().shutdown();
      lock.release();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot serve " + options.socketPath(), io);
      }
      throw (RuntimeException) e;
    }
    if (options.shutdownHook()) {
      host.installShutdownHook();
    }
    LOG.info("ntio host serving {} (state {}, admin group {})", options.socketPath(), state,
        options.adminGroupName().orElse("none"));
    return host;
  }

  /**
   * Boots a kernel and loads its start drivers. When a start driver's own load bug-checks and
   * {@code AutoReboot} allows, boots again without it (within the reboot budget); otherwise the
   * kernel stays as the start drivers left it, halted or not.
   *
   * @param byHand a start of the host, not an automatic reboot: the services' not-started
   *     reasons of an earlier host are cleared
   */
  private synchronized void bootKernel(boolean byHand) {
    boolean fresh = byHand;
    while (true) {
      Kernel booted = Kernel.boot(options.kernelConfig().withImageOwnership(fileTrust));
      booted.addDriverEventListener(driverLog);
      boolean autoReboot;
      try (LocalNt nt = LocalNt.administrator(booted, "ntio-host", EmbeddedKernels.currentUnixUid())) {
        if (fresh) {
          CrashControl.clearNotStarted(nt);
        } else {
          CrashControl.recordNotStarted(nt, notStarted);
        }
        autoReboot = CrashControl.autoReboot(nt);
      } catch (RuntimeException e) {
        booted.shutdown();
        throw e;
      }
      kernel = booted;
      drivers = new SystemDrivers(booted);
      rebootOnHalt = false;
      booted.onHalt(halt -> halted(booted, halt));
      started = loadStartDrivers(booted, notStarted);
      if (booted.isRunning()) {
        rebootOnHalt = autoReboot;
        return;
      }
      Optional<String> culprit = SystemDrivers.bugCheckedAtStart(started);
      if (!autoReboot || culprit.isEmpty() || !rebootBudget.take()) {
        LOG.error("The kernel halted while its start drivers loaded and stays halted (AutoReboot {},"
            + " raised by a start driver's load: {}, budget {})", autoReboot, culprit.isPresent(), rebootBudget);
        return;
      }
      KernelHalt halt = booted.haltReason().orElseThrow();
      notStarted.put(culprit.get(), "not started on the automatic reboot: its boot start raised "
          + halt.line().replaceFirst("^kernel halted: ", ""));
      LOG.warn("Rebooting the kernel (CrashControl\\AutoReboot) without {}, whose start bug-checked",
          culprit.get());
      booted.shutdown();
      reboots++;
      fresh = false;
    }
  }

  /** The kernel's halt listener (a kernel thread): logs it and starts the reboot; takes no lock ({@link #rebootOnHalt}). */
  private void halted(Kernel which, KernelHalt halt) {
    LOG.error("{}: {}", halt.line(), halt.bugCheck().message());
    if (rebootOnHalt) {
      rebootOnHalt = false;
      Thread reboot = new Thread(() -> rebootAfter(which), "ntio-host-reboot");
      reboot.setDaemon(true);
      reboot.start();
    }
  }

  /**
   * The automatic reboot of {@code halted}: stop serving (its clients are run down), shut it down,
   * boot a new kernel with its start drivers, serve again; past the budget it stays halted; a
   * failure to boot or serve stops the host.
   */
  private void rebootAfter(Kernel halted) {
    try {
      Thread.sleep(HALT_NOTICE_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (state != State.RUNNING || kernel != halted) {
        return;
      }
      if (!rebootBudget.take()) {
        LOG.error("Not rebooting the kernel: the reboot budget, {}, is spent; it stays halted until the"
            + " host is restarted", rebootBudget);
        return;
      }
      LOG.warn("Rebooting the kernel (CrashControl\\AutoReboot): its clients are disconnected");
      Listener serving = listener;
      listener = null;
      if (serving != null) {
        serving.close();
      }
      halted.shutdown();
      reboots++;
      try {
        bootKernel(false);
        listen();
      } catch (IOException | RuntimeException e) {
        LOG.error("The automatic reboot failed: {}; the host stops", e.toString());
        Thread stop = new Thread(this::shutdown, "ntio-host-stop");
        stop.start();
        return;
      }
      LOG.info("ntio host serving {} again after automatic reboot #{}", options.socketPath(), reboots);
    }
  }

  /** How many automatic reboots this host has done. */
  public int automaticReboots() {
    return reboots;
  }

  private static List<StartDriverOutcome> loadStartDrivers(Kernel kernel, Map<String, String> notStarted) {
    List<StartDriverOutcome> outcomes = new SystemDrivers(kernel).loadStartDrivers(notStarted);
    for (StartDriverOutcome o : outcomes) {
      String group = o.group().isEmpty() ? "no group" : "group " + o.group();
      if (o.loaded()) {
        LOG.info("Started {} ({}, {}): {}", o.service(), o.startName(), group, o.status());
      } else {
        LOG.warn("Skipped {} ({}, {}): {}{}", o.service(), o.startName(), group, o.status(),
            o.detail().isEmpty() ? "" : " — " + o.detail());
      }
    }
    long loaded = outcomes.stream().filter(StartDriverOutcome::loaded).count();
    LOG.info("Start drivers: {} loaded, {} failed", loaded, outcomes.size() - loaded);
    return outcomes;
  }

  private void listen() throws IOException {
    Path socket = options.socketPath();
    // The listener binds the socket (replacing a file a killed host left behind: we hold the
    // lock, so nobody answers on it) and makes it mode 0660; the host gives it its group.
    Kernel serving = kernel();
    Listener started = options.listener().start(serving, options);
    synchronized (this) {
      listener = started;
    }
    giveSocketItsGroup(socket);
    if (!serving.isRunning()) {
      // It halted between its start drivers and now: the listener was not there to hear it.
      serving.haltReason().ifPresent(halt -> halted(serving, halt));
    }
  }

  /**
   * Gives the socket the socket group (else the admin group) when one is set. The view follows
   * links: a socket cannot be opened, so the no-follow path ({@code open} + {@code fchown}) fails
   * with ENXIO; the listener has bound the path itself, so it is no link.
   */
  private void giveSocketItsGroup(Path socket) {
    Optional<String> group = options.socketGroupName();
    if (group.isEmpty()) {
      return;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
    try {
      if (view == null || !Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException("no POSIX attributes or no socket file");
      }
      GroupPrincipal principal = socket.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByGroupName(group.get());
      view.setGroup(principal);
    } catch (IOException e) {
      LOG.warn("Cannot give {} to group {}: {} (members of the group may not reach the socket)",
          socket, group.get(), e.toString());
    }
  }

  private synchronized void installShutdownHook() {
    hook = new Thread(() -> {
      LOG.info("Signal received: shutting down");
      if (shutdown().hung()) {
        // Driver code still runs and cannot be stopped; exit() would wait for this very hook.
        Runtime.getRuntime().halt(HUNG_DRIVER_EXIT_CODE);
      }
    }, "ntio-host-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The options it runs with. */
  public HostOptions options() {
    return options;
  }

  /** The kernel it hosts now (an automatic reboot replaces it). */
  public synchronized Kernel kernel() {
    return kernel;
  }

  /** The socket it serves. */
  public Path socketPath() {
    return options.socketPath();
  }

  /** This host, as its lock file names it. */
  public HostLock.Holder holder() {
    return lock.holder();
  }

  /** What happened to each start driver at the last boot of its kernel, in load order. */
  public synchronized List<StartDriverOutcome> startDrivers() {
    return started;
  }

  /** Whether {@link #shutdown()} has begun. */
  public synchronized boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Blocks until {@link #shutdown()} has finished. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  /** Blocks until {@link #shutdown()} has finished or the time is up; true when it finished. */
  public boolean awaitShutdown(long timeout, TimeUnit unit) throws InterruptedException {
    return stopped.await(timeout, unit);
  }

  /**
   * Shuts the host down (see the class comment). Idempotent and thread-safe: a second call waits
   * for the first and returns the same report.
   */
  public synchronized ShutdownReport shutdown() {
    if (state == State.STOPPED) {
      return report;
    }
    state = State.STOPPING;
    LOG.info("ntio host stopping on {}", options.stateDirectory());
    ShutdownReport finished = new ShutdownReport(List.of(), List.of());
    try {
      // Closing the listener runs every client down, which runs driver code (cancel routines,
      // IRP_MJ_CLEANUP and CLOSE, a DriverUnload a last close completes): inside the grace period.
      Listener serving = listener;
      listener = null;
      finished = DriverPhase.run(() -> {
        if (serving != null) {
          serving.close();
        }
        return stopKernel();
      }, options.shutdownGrace(), this::hung);
      Files.deleteIfExists(options.socketPath());
    } catch (IOException e) {
      LOG.warn("Cannot delete {}: {}", options.socketPath(), e.toString());
    } finally {
      lock.release();
      removeShutdownHook();
      report = finished;
      state = State.STOPPED;
      stopped.countDown();
      LOG.info("ntio host stopped");
    }
    return report;
  }

  /**
   * The part of the shutdown that runs driver code — client rundown (begun by closing the
   * listener, just before), NtUnloadDriver of every driver, the kernel's shutdown notifications —
   * bounded by the grace period (see {@link DriverPhase}).
   */
  @SuppressWarnings("GuardedBy") // called from shutdown(), which holds the lock
  private ShutdownReport stopKernel() {
    List<Unload> unloads = List.of();
    if (kernel.isRunning()) {
      runDownClients();
      unloads = ShutdownUnloads.unloadAll(kernel, drivers);
    } else {
      LOG.warn("The kernel is {}: drivers are not unloaded", kernel.state());
    }
    List<String> stuck = kernel.shutdown().stream().map(Thread::getName).toList();
    if (!stuck.isEmpty()) {
      LOG.warn("Worker threads did not stop in time: {}", stuck);
    }
    LOG.info("Kernel shut down; the hive is flushed and closed");
    return new ShutdownReport(unloads, stuck);
  }

  /**
   * The grace period ran out: names the driver routines still running, writes the report, and
   * leaves the kernel as it is (its hive is crash-safe; closing it under running driver code is
   * not). The process must now end: the shutdown hook halts the JVM, {@code ntio host} exits with
   * {@link #HUNG_DRIVER_EXIT_CODE}.
   */
  @SuppressWarnings("GuardedBy") // called from shutdown(), which holds the lock
  private ShutdownReport hung(Thread phase, java.time.Duration grace) {
    List<RunningDriverCall> calls = drivers.callsInProgress();
    String summary = HungShutdownReport.summary(calls, grace);
    Optional<Path> file = Optional.empty();
    try {
      file = Optional.of(HungShutdownReport.write(options.stateDirectory(), calls, phase, grace));
    } catch (IOException | RuntimeException e) {
      LOG.error("Cannot write the hung-shutdown report: {}", e.toString());
    }
    LOG.error("ntio host: {}; report {}; exiting with code {}", summary,
        file.map(Path::toString).orElse("(not written)"), HUNG_DRIVER_EXIT_CODE);
    return new ShutdownReport(List.of(), List.of(), true,
        calls.stream().map(call -> call.routine() + " of " + call.driver()).toList(), file);
  }

  @SuppressWarnings("GuardedBy") // called from shutdown(), which holds the lock
  private void removeShutdownHook() {
    if (hook != null && Thread.currentThread() != hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook will find the host stopped.
      }
    }
    hook = null;
  }

  /** The clients' handles close, so that an unload deferred by an open handle can finish. */
  @SuppressWarnings("GuardedBy") // called from shutdown(), which holds the lock
  private void runDownClients() {
    kernel.runDownClientProcesses(name -> LOG.info("Running down client process {}", name));
  }
}
