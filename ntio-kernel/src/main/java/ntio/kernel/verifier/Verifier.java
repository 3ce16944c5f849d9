package ntio.kernel.verifier;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolTag;
import ntio.ddk.RegType;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugChecks;
import ntio.kernel.executive.Pool;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.executive.WorkQueues;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;
import ntio.kernel.registry.ValueResult;

/**
 * The kernel's Driver Verifier: decides at each load whether the image is verified (DV1), and at
 * each image unmap scans what the image left behind (DV4) and proves its class loader unreachable
 * (DV8, non-fatal findings). Models the verifier's per-driver enabling and its unload checks
 * (partial: pool tracking, the pool-leak check and the class-loader probe so far).
 *
 * <p>Thread-safe.
 */
public final class Verifier {

  /** Where DV1's values live. */
  public static final String MEMORY_MANAGEMENT =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session Manager\\Memory Management";

  /** 0xC4's first parameter for pool not freed when the image is unloaded (DV4). */
  public static final int POOL_LEAK_AT_UNLOAD = 0x62;

  /** 0xC4's first parameter for an ETW provider still registered when the image is unloaded (DV8). */
  public static final int TRACE_PROVIDER_AT_UNLOAD = 0xDD;

  /** 0xC7's first parameter for a timer still set when the image is unloaded (DV8). */
  public static final int TIMER_AT_UNLOAD = 0x0;

  /** 0xC7's first parameter for a routine of the image still queued or running at the unload (DV8). */
  public static final int ROUTINE_IN_UNLOADED_IMAGE = 0x2;

  /** The finding of DV8's class-loader probe: an unmapped image's loader is still reachable. */
  public static final String LOADER_REACHABLE = "DV8-LOADER-REACHABLE";

  private final Registry registry;
  private final ObjectManager objects;
  private final KThread system;
  private final Pool pool;
  private final BugChecks bugChecks;
  private volatile VerifierSettings volatileSettings;
  private final List<VerifierFinding> findings = new CopyOnWriteArrayList<>();
  private final LoaderProbes loaderProbes;

  /**
   * @param system the thread registry reads are made as: the System process, kernel mode
   * @param workQueues where the class-loader probes run (a critical System worker)
   */
  public Verifier(Registry registry, ObjectManager objects, KThread system, Pool pool,
      BugChecks bugChecks, WorkQueues workQueues) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.system = Objects.requireNonNull(system, "system");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.bugChecks = Objects.requireNonNull(bugChecks, "bugChecks");
    Objects.requireNonNull(workQueues, "workQueues");
    this.loaderProbes = new LoaderProbes(routine -> {
      if (!workQueues.queue(WorkQueueType.CRITICAL, routine).isSuccess()) {
        throw new RejectedExecutionException("the System workers are shutting down");
      }
    }, System::gc, (image, message) -> recordFinding(image, LOADER_REACHABLE, message),
        LoaderProbes.SETTLE, LoaderProbes.MAXIMUM_SETTLE);
  }

  /**
   * Settings that apply at once and are not persisted, over the registry's: {@code verifier
   * /volatile}. Null goes back to the registry's.
   */
  public void setVolatileSettings(VerifierSettings settings) {
    this.volatileSettings = settings;
  }

  /** The settings a load made now would use: the volatile ones, else the registry's. */
  public VerifierSettings settings() {
    VerifierSettings overlay = volatileSettings;
    return overlay != null ? overlay : registrySettings();
  }

  /** Whether the image about to load is verified, and how: read at each load (DV1). */
  public Optional<VerifiedImage> atLoad(String imageName) {
    VerifierSettings settings = settings();
    return settings.verifies(imageName)
        ? Optional.of(new VerifiedImage(imageName, settings.flags()))
        : Optional.empty();
  }

  /**
   * The unload scan, run when a verified image is unmapped — after DriverUnload, or after a
   * failed DriverEntry (DV4, DV8). In order, each a bug check at the first finding:
   *
   * <ol>
   *   <li>a timer still set: 0xC7 ({@code TIMER_OR_DPC_INVALID}), P1 {@link #TIMER_AT_UNLOAD}, P2
   *       the timer;
   *   <li>a work item queued or running, or a System thread still running, whose routine is the
   *       image's: 0xC7, P1 {@link #ROUTINE_IN_UNLOADED_IMAGE}, P2 the object;
   *   <li>with Miscellaneous Checks, a trace provider still registered: 0xC4, P1 {@link
   *       #TRACE_PROVIDER_AT_UNLOAD};
   *   <li>with pool tracking, any allocation not freed: 0xC4, P1 {@link #POOL_LEAK_AT_UNLOAD}, P4 the
   *       count, naming the image and listing each allocation (tag, size, the driver's allocation
   *       site).
   * </ol>
   *
   * @implNote NT's 0xC7 gives the range of the unloaded image in P3 and P4; an image here has no
   *     address range, so they are 0.
   */
  public void unloadScan(VerifiedImage image, PoolOwner owner, ImageLeftovers leftovers) {
    for (ImageLeftovers.Item timer : leftovers.setTimers()) {
      throw bugChecks.raise(BugCheck.TIMER_OR_DPC_INVALID, TIMER_AT_UNLOAD, timer.address(), 0, 0,
          image.imageName(), image.imageName() + " is unloading with a " + timer.description()
              + " still set: it would expire into unloaded code");
    }
    List<ImageLeftovers.Item> running = new java.util.ArrayList<>(leftovers.workItems());
    running.addAll(leftovers.threads());
    for (ImageLeftovers.Item routine : running) {
      throw bugChecks.raise(BugCheck.TIMER_OR_DPC_INVALID, ROUTINE_IN_UNLOADED_IMAGE, routine.address(), 0, 0,
          image.imageName(), image.imageName() + " is unloading with a " + routine.description()
              + " still queued or running: its code would be gone from under it");
    }
    if (image.miscellaneousChecks()) {
      for (ImageLeftovers.Item provider : leftovers.traceProviders()) {
        throw bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, TRACE_PROVIDER_AT_UNLOAD,
            provider.address(), 0, 0, image.imageName(), image.imageName()
                + " is unloading with its " + provider.description()
                + " still registered (EtwRegister without EtwUnregister; a missing WPP_CLEANUP)");
      }
    }
    if (!image.tracksPool()) {
      return;
    }
    List<PoolAllocation> leaked = pool.liveAllocations(owner);
    if (leaked.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder(image.imageName())
        .append(" is unloading without freeing ").append(leaked.size())
        .append(leaked.size() == 1 ? " pool allocation:" : " pool allocations:");
    for (PoolAllocation allocation : leaked) {
      report.append("\n  tag ").append(PoolTag.describe(allocation.tag()))
          .append(", ").append(allocation.size()).append(" bytes ")
          .append(allocation.type()).append(", at 0x")
          .append(Long.toHexString(allocation.address()).toUpperCase(java.util.Locale.ROOT))
          .append(", allocated at ").append(siteOf(allocation));
    }
    throw bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, POOL_LEAK_AT_UNLOAD, 0, 0,
        leaked.size(), image.imageName(), report.toString());
  }

  /**
   * DV8's class-loader probe, at the unmap of a verified image (after {@link #unloadScan}): proves,
   * on a System worker and shortly after, that the image's class loader became unreachable. Images
   * unmapped close together share one garbage collection; a loader still reachable after a few is
   * a {@link #LOADER_REACHABLE} finding naming what holds it where it can (a thread the image
   * started, a shutdown hook it registered). Non-fatal: no bug check. Only queues the probe, so it
   * may be called from the unloading thread; must not be called under a kernel lock.
   *
   * @param image the image's verifier record, or null when the image is not verified: then
   *     nothing happens (no probe, no collection)
   * @param unmapped the image, already unmapped
   */
  public void probeLoader(VerifiedImage image, LoadedImage unmapped) {
    if (image == null) {
      return;
    }
    loaderProbes.probe(image.imageName(), unmapped.unloadedLoaderReference());
  }

  /**
   * Waits until every class-loader probe queued so far has its answer (its finding, if any, is in
   * {@link #findings()}).
   *
   * @return whether they all did within {@code timeout}; false also when interrupted
   */
  public boolean awaitLoaderProbes(Duration timeout) {
    return loaderProbes.awaitIdle(Objects.requireNonNull(timeout, "timeout"));
  }

  /** What the class-loader probes did since boot. */
  public LoaderProbeStatistics loaderProbeStatistics() {
    return loaderProbes.statistics();
  }

  /**
   * Records a non-fatal finding against an image, stamped now.
   *
   * @param check the check's id, such as {@link #LOADER_REACHABLE}
   */
  public void recordFinding(String imageName, String check, String message) {
    findings.add(new VerifierFinding(imageName, check, message, Instant.now()));
  }

  /** Every non-fatal finding since boot, oldest first; an unmodifiable snapshot. */
  public List<VerifierFinding> findings() {
    return List.copyOf(findings);
  }

  /**
   * The driver's own frame that made the allocation: the first frame below the kernel's and the
   * JDK's in the stack pool tracking recorded.
   */
  static String siteOf(PoolAllocation allocation) {
    return allocation.allocationStack()
        .flatMap(stack -> stack.lines()
            .map(String::strip)
            .filter(line -> line.startsWith("at "))
            .map(line -> line.substring(3))
            .filter(frame -> !frame.startsWith("ntio.kernel.") && !frame.startsWith("java.")
                && !frame.startsWith("jdk.") && !frame.startsWith("ntio.ddk."))
            .findFirst())
        .orElse("(not recorded)");
  }

  private VerifierSettings registrySettings() {
    OpenResult key = registry.ntOpenKey(system, AccessMask.KEY_READ,
        ObjectAttributes.of(MEMORY_MANAGEMENT));
    if (!key.status().isSuccess()) {
      return VerifierSettings.NONE;
    }
    try {
      ValueResult drivers = registry.ntQueryValueKey(system, key.handle(),
          UnicodeString.of("VerifyDrivers"));
      ValueResult level = registry.ntQueryValueKey(system, key.handle(),
          UnicodeString.of("VerifyDriverLevel"));
      String names = drivers.status().isSuccess()
          && (drivers.value().type() == RegType.REG_SZ || drivers.value().type() == RegType.REG_EXPAND_SZ)
          ? drivers.value().stringValue().orElse(null) : null;
      Integer flags = level.status().isSuccess() ? level.value().dwordValue().stream().boxed()
          .findFirst().orElse(null) : null;
      return VerifierSettings.parse(names, flags);
    } finally {
      NtStatus closed = objects.close(key.handle(), system);
      assert closed.isSuccess() : closed;
    }
  }
}
