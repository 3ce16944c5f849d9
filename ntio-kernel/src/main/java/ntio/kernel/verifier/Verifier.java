package ntio.kernel.verifier;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import ntio.api.DriverStatistics;
import ntio.api.FaultSettings;
import ntio.api.OpenResult;
import ntio.api.ValueResult;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolBlock;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.RegType;
import ntio.ddk.RegValue;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.AllocationResult;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugChecks;
import ntio.kernel.executive.Pool;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.executive.WorkQueueType;
import ntio.kernel.executive.WorkQueues;
import ntio.kernel.loader.LoadedImage;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;

/**
 * The kernel's Driver Verifier: decides at each load whether the image is verified (DV1), and at
 * each image unmap scans what the image left behind (DV4, DV8) and proves its class loader
 * unreachable (DV8, non-fatal findings). A verified image's pool calls come
 * through {@link #allocatePool} and {@link #freePool}, which catch misuse (DV5), and its
 * allocating calls may be failed on purpose by the randomized and the systematic low resources
 * simulations (DV6, DV7). {@link #query()} gives each image's figures, {@link #findings()} the
 * non-fatal findings. Models the verifier's per-driver enabling, its pool thunks, its fault
 * injection and its unload checks (partial: pool tracking and the pool-leak check, pool misuse,
 * both low resources simulations, statistics).
 *
 * <p>Thread-safe.
 */
public final class Verifier {

  /** Where DV1's values live. */
  public static final String MEMORY_MANAGEMENT = VerifierSettings.REGISTRY_KEY;

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
  private final LoaderProbes loaderProbes;
  private final LowResourcesSimulation lowResources;
  /** Every verified image's current load and last unloaded load, by upper-cased image name. */
  private final ConcurrentHashMap<String, Loads> loads = new ConcurrentHashMap<>();

  @GuardedBy("findings")
  private final ArrayDeque<VerifierFinding> findings = new ArrayDeque<>();

  /**
   * A verifier on the system clock, counting its start-up delays from now.
   *
   * @param system the thread registry reads are made as: the System process, kernel mode
   * @param workQueues where the class-loader probes run (a critical System worker)
   */
  public Verifier(Registry registry, ObjectManager objects, KThread system, Pool pool,
      BugChecks bugChecks, WorkQueues workQueues) {
    this(registry, objects, system, pool, bugChecks, workQueues, InstantSource.system(), Instant.now());
  }

  /**
   * @param system the thread registry reads are made as: the System process, kernel mode
   * @param workQueues where the class-loader probes run (a critical System worker)
   * @param clock the kernel's clock: the start-up delay of the randomized low resources
   *     simulation is measured on it (DV6), and findings are stamped with it
   * @param bootTime when the kernel booted, by {@code clock}
   */
  public Verifier(Registry registry, ObjectManager objects, KThread system, Pool pool,
      BugChecks bugChecks, WorkQueues workQueues, InstantSource clock, Instant bootTime) {
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
    this.lowResources = new LowResourcesSimulation(Objects.requireNonNull(clock, "clock"),
        Objects.requireNonNull(bootTime, "bootTime"));
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

  /**
   * Whether an image named {@code imageName} about to load is verified, and how: read at each
   * load (DV1). The record knows no classes of the image, so the systematic simulation (DV7) finds
   * no call site of it; the loader uses {@link #atLoad(LoadedImage)}.
   */
  public Optional<VerifiedImage> atLoad(String imageName) {
    return atLoad(imageName, new WeakReference<>(null), () -> true);
  }

  /**
   * Whether {@code image}, just mapped, is verified, and how: read at each load (DV1). A verified
   * load starts a new record of figures for {@link #query()}; the image's previous load becomes
   * its last unloaded one.
   */
  public Optional<VerifiedImage> atLoad(LoadedImage image) {
    WeakReference<LoadedImage> mapped = new WeakReference<>(image);
    return atLoad(image.imageName(), image.unloadedLoaderReference(), () -> {
      LoadedImage still = mapped.get();
      return still != null && still.isMapped();
    });
  }

  private Optional<VerifiedImage> atLoad(String imageName, WeakReference<ClassLoader> classes,
      BooleanSupplier mapped) {
    VerifierSettings settings = settings();
    if (!settings.verifies(imageName)) {
      return Optional.empty();
    }
    VerifiedImage verified = new VerifiedImage(imageName, settings.flags(), settings.faults(),
        classes, mapped);
    loads.compute(key(imageName), (name, before) -> new Loads(verified,
        before == null ? null : before.current()));
    return Optional.of(verified);
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

  /** The driver's own frame that made the allocation, as pool tracking recorded it. */
  static String siteOf(PoolAllocation allocation) {
    return allocation.allocationSite().orElse("(not recorded)");
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
      return VerifierSettings.parse(names, flags).withFaults(registryFaults(key.handle()));
    } finally {
      NtStatus closed = objects.close(key.handle(), system);
      assert closed.isSuccess() : closed;
    }
  }

  // Randomized and systematic low resources simulation (DV6, DV7), pool misuse (DV5) -----------

  /** The pool tag ntio charges a device object to when the simulation considers IoCreateDevice. */
  public static final int DEVICE_OBJECT_TAG = PoolTag.of("Devi");

  /** The pool tag ntio charges an IRP to when the simulation considers IoAllocateIrp. */
  public static final int IRP_TAG = PoolTag.of("Irp");

  /** 0xC2's first parameter for a pool tag of 0 (DV5). */
  public static final int BAD_POOL_CALLER_ZERO_TAG = 0x9B;

  /** 0xC2's first parameter for a pool tag with no letter or digit (DV5). */
  public static final int BAD_POOL_CALLER_TAG_WITHOUT_LETTERS = 0x9D;

  /** 0xC4's first parameter for a zero-byte allocation (DV5). */
  public static final int ZERO_BYTE_ALLOCATION = 0x00;

  /** 0xC4's first parameter for freeing an address no allocation returned (DV5). */
  public static final int FREE_OF_UNALLOCATED_ADDRESS = 0x10;

  /** 0xC4's first parameter for freeing pool that was already freed (DV5). */
  public static final int FREE_OF_FREED_POOL = 0x13;

  /**
   * {@code ExAllocatePoolWithTag} from a verified image: the misuse checks (DV5), then the low
   * resources simulations (DV6, DV7), then the pool, with the calling site recorded under pool
   * tracking, counted for {@link #query()}.
   *
   * <p>Models the verifier's thunk {@code VerifierAllocatePoolWithTag} (partial: no special pool;
   * the IRQL checks are made before, by the image's thunk, {@code io.ImageIrqlRules}).
   *
   * @return as {@link Pool#allocate}; {@code STATUS_INSUFFICIENT_RESOURCES} with no block when a
   *     simulation fails the call
   * @throws ntio.kernel.executive.BugCheckException for a tag of 0 (0xC2/0x9B: P2 the pool type,
   *     P3 the size), a tag with no letter or digit (0xC2/0x9D: P2 the tag, P3 the pool type), or
   *     a size of 0 (0xC4/0x00: P2 the IRQL, PASSIVE_LEVEL, P3 the pool type); P4, the caller's
   *     address, is 0 in ntio
   * @param callingSite the site the image's thunked call passed, or null (the site is then found
   *     in the allocating stack)
   */
  public AllocationResult allocatePool(VerifiedImage image, PoolType type, long size, int tag,
      PoolOwner owner, String callingSite) {
    Objects.requireNonNull(type, "type");
    if (tag == 0) {
      throw bugChecks.raise(BugCheck.BAD_POOL_CALLER, BAD_POOL_CALLER_ZERO_TAG, type.ntValue(),
          size, 0, image.imageName(), image.imageName() + " allocated " + size + " bytes of "
              + type + " pool with a pool tag of 0");
    }
    if (!hasLetterOrDigit(tag)) {
      throw bugChecks.raise(BugCheck.BAD_POOL_CALLER, BAD_POOL_CALLER_TAG_WITHOUT_LETTERS,
          Integer.toUnsignedLong(tag), type.ntValue(), 0, image.imageName(),
          image.imageName() + " allocated " + type + " pool with tag " + PoolTag.describe(tag)
              + ", which has no letter or digit");
    }
    if (size == 0) {
      throw bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, ZERO_BYTE_ALLOCATION, 0,
          type.ntValue(), 0, image.imageName(), image.imageName()
              + " requested a zero-byte allocation of " + type + " pool, tag "
              + PoolTag.describe(tag));
    }
    if (lowResources.fail(image, "ExAllocatePoolWithTag", tag)) {
      return new AllocationResult(NtStatus.STATUS_INSUFFICIENT_RESOURCES, null);
    }
    AllocationResult result = image.tracksPool()
        ? pool.allocateTracked(type, size, tag, owner, callingSite)
        : pool.allocate(type, size, tag, owner);
    if (result.status().isSuccess()) {
      image.allocated();
    }
    return result;
  }

  /**
   * {@code ExFreePoolWithTag} from a verified image: the misuse checks (DV5), then the pool.
   *
   * <p>Models the verifier's thunk {@code VerifierFreePoolWithTag} (full; the IRQL checks are
   * made before, by the image's thunk, {@code io.ImageIrqlRules}).
   *
   * @param block what the driver passed
   * @param owner the image's pool owner: a block another image allocated is not one this driver
   *     was given [MODEL]
   * @throws ntio.kernel.executive.BugCheckException for a block no allocation of this image
   *     returned — not a pool block of this kernel, or another image's (0xC4/0x10, P2 the
   *     address); a block already freed (0xC4/0x13: P3 the header's address, P4 its contents); a
   *     tag that is not the allocator's (0xC2/0x0A, from the pool)
   */
  public void freePool(VerifiedImage image, PoolBlock block, int tag, PoolOwner owner) {
    if (!(block instanceof PoolAllocation allocation) || !pool.contains(allocation)
        || !(allocation.owner().equals(owner) || allocation.owner().equals(PoolOwner.KERNEL))) {
      long address = block == null ? 0 : block.address();
      throw bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION,
          FREE_OF_UNALLOCATED_ADDRESS, address, 0, 0, image.imageName(),
          image.imageName() + " freed 0x"
              + Long.toHexString(address).toUpperCase(Locale.ROOT) + ", which no allocation of its"
              + " returned (" + describe(block) + ")");
    }
    if (allocation.isFreed()) {
      throw bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, FREE_OF_FREED_POOL, 0,
          allocation.address() - 16, allocation.headerContents(), image.imageName(),
          image.imageName() + " freed pool that was already freed (" + allocation + ")");
    }
    pool.free(allocation, tag);
    if (allocation.owner().equals(owner)) {
      image.freed();
    }
  }

  /**
   * Whether a simulation fails this call of {@code routine} from a verified image (DV6, DV7, and
   * an armed {@linkplain #armFaultSweep sweep}): the calls ntio covers are {@code
   * ExAllocatePoolWithTag} (through {@link #allocatePool}), {@code IoAllocateIrp}, {@code
   * IoCreateDevice} and {@code IoAttachDeviceToDeviceStack}. A failed call is counted on {@code image}.
   *
   * <p>Models {@code ViFaultsCheck} / the systematic simulation's check (partial).
   *
   * @param tag the pool tag the call allocates with, matched against the tag filter: {@link
   *     #IRP_TAG}, {@link #DEVICE_OBJECT_TAG}
   */
  public boolean injectFault(VerifiedImage image, String routine, int tag) {
    return lowResources.fail(image, routine, tag);
  }

  /**
   * The call sites the systematic simulation has seen for {@code imageName} and so lets through
   * now, sorted; they survive unloads and reloads. Models {@code verifier /faultssystematic}'s
   * query of its stack table (partial).
   */
  public List<CallSite> systematicSites(String imageName) {
    return lowResources.seenSites(imageName);
  }

  /**
   * Forgets the sites the systematic simulation has seen for {@code imageName}, or for every image
   * when null, so that each fails once more. Models {@code verifier /faultssystematic reset}
   * (full).
   */
  public void resetSystematic(String imageName) {
    lowResources.reset(imageName);
  }

  /**
   * Arms the counted fault injection for {@code imageName} ({@link FaultSweep}): every call of a
   * verified load of that image which the low resources simulations consider is counted, and the
   * {@code failAt}th fails as they fail it (0: count only). The image must be verified for its
   * calls to be seen; no simulation flag is needed. Re-arming starts the count again. [MODEL]
   */
  public void armFaultSweep(String imageName, int failAt) {
    lowResources.sweep().arm(Objects.requireNonNull(imageName, "imageName"), failAt);
  }

  /**
   * Whether an armed sweep fails this call of a routine no low resources simulation of Windows
   * fails ({@code IoAttachDeviceToDeviceStack}): only the sweep counts it. [MODEL]
   */
  public boolean injectSweptFault(VerifiedImage image) {
    if (lowResources.sweep().fail(image.imageName())) {
      image.injectedFault();
      return true;
    }
    return false;
  }

  /** The calls the armed sweep counted for {@code imageName}; 0 when it is not armed. */
  public int faultSweepCalls(String imageName) {
    return lowResources.sweep().calls(imageName);
  }

  /** Disarms the sweep for {@code imageName}; returns the calls it counted. */
  public int disarmFaultSweep(String imageName) {
    return lowResources.sweep().disarm(imageName);
  }

  // Statistics and findings ----------------------------------------------------------------------

  /**
   * {@code verifier /query}: for each image verified since boot, its current load's figures
   * ({@link DriverStatistics#loaded()} true) and its last unloaded load's (false), by image name.
   * Models {@code verifier /query} (partial: see {@link DriverStatistics}).
   */
  public List<DriverStatistics> query() {
    List<DriverStatistics> all = new ArrayList<>();
    for (Loads entry : new TreeMap<>(loads).values()) {
      DriverStatistics current = entry.current().statistics();
      if (current.loaded()) {
        all.add(current);
        if (entry.previous() != null) {
          all.add(entry.previous().statistics());
        }
      } else {
        all.add(current);
      }
    }
    return List.copyOf(all);
  }

  /** The figures of {@code imageName}'s current load, or its last unloaded one. */
  public Optional<DriverStatistics> query(String imageName) {
    Loads entry = loads.get(key(imageName));
    return entry == null ? Optional.empty() : Optional.of(entry.current().statistics());
  }

  /**
   * Records a violation that does not stop the machine, against {@code driver}: in {@link
   * #findings()}, and in {@link #query()} for the current load of the image of that name if it is
   * verified. Keeps the last {@value #MAX_FINDINGS}. Models the verifier's print-and-break
   * findings (partial: never breaks).
   *
   * @param driver the image name ({@code Echo.jar}) or another name the finding is against
   * @param check the rule, such as {@code DV8} or {@code 0xC9/0x0E}
   */
  public VerifierFinding recordFinding(String driver, String check, String message) {
    VerifierFinding finding = new VerifierFinding(driver, check, message, lowResources.clock().instant());
    Loads entry = loads.get(key(driver));
    if (entry != null && entry.current().isLoaded()) {
      entry.current().record(finding);
    }
    keep(finding);
    return finding;
  }

  /** {@link #recordFinding(String, String, String)} against one load of a verified image. */
  public VerifierFinding recordFinding(VerifiedImage image, String check, String message) {
    VerifierFinding finding = new VerifierFinding(image.imageName(), check, message,
        lowResources.clock().instant());
    image.record(finding);
    keep(finding);
    return finding;
  }

  /** Every non-fatal finding recorded, oldest first (at most the last {@value #MAX_FINDINGS}). */
  public List<VerifierFinding> findings() {
    synchronized (findings) {
      return List.copyOf(findings);
    }
  }

  /** How many findings {@link #findings()} keeps. */
  public static final int MAX_FINDINGS = 1024;

  private void keep(VerifierFinding finding) {
    synchronized (findings) {
      if (findings.size() == MAX_FINDINGS) {
        findings.removeFirst();
      }
      findings.addLast(finding);
    }
  }

  /** One image's current load and the one before it. */
  private record Loads(VerifiedImage current, VerifiedImage previous) {}

  private static String key(String imageName) {
    return imageName.toUpperCase(Locale.ROOT);
  }

  /** Whether one of the tag's four bytes is an ASCII letter or digit. */
  private static boolean hasLetterOrDigit(int tag) {
    for (int i = 0; i < 4; i++) {
      int c = (tag >>> (8 * i)) & 0xFF;
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
        return true;
      }
    }
    return false;
  }

  private static String describe(PoolBlock block) {
    if (block == null) {
      return "a null pointer";
    }
    return block instanceof PoolAllocation allocation ? allocation.toString()
        : "a " + block.getClass().getName() + ", not a pool block";
  }

  /** DV6's values, each default when absent or unusable (an unusable one is a finding). */
  private FaultSettings registryFaults(Handle key) {
    Integer probability = dword(key, VerifierSettings.FAULT_PROBABILITY_VALUE);
    Integer delay = dword(key, VerifierSettings.FAULT_DELAY_VALUE);
    ValueResult tagsValue = registry.ntQueryValueKey(system, key,
        UnicodeString.of(VerifierSettings.FAULT_TAGS_VALUE));
    String tags = tagsValue.status().isSuccess() ? tagsValue.value().stringValue().orElse(null)
        : null;
    ValueResult seedValue = registry.ntQueryValueKey(system, key,
        UnicodeString.of(VerifierSettings.FAULT_SEED_VALUE));
    Long seed = null;
    if (seedValue.status().isSuccess()) {
      RegValue value = seedValue.value();
      seed = value.qwordValue().isPresent() ? Long.valueOf(value.qwordValue().getAsLong())
          : value.dwordValue().isPresent() ? Long.valueOf(value.dwordValue().getAsInt()) : null;
    }
    try {
      return FaultSettings.parse(probability, tags, delay, seed);
    } catch (IllegalArgumentException unusable) {
      recordFinding("verifier", "DV6", "the /faults values under " + MEMORY_MANAGEMENT
          + " are unusable, the defaults apply: " + unusable.getMessage());
      return FaultSettings.DEFAULT;
    }
  }

  private Integer dword(Handle key, String name) {
    ValueResult value = registry.ntQueryValueKey(system, key, UnicodeString.of(name));
    if (!value.status().isSuccess() || value.value().dwordValue().isEmpty()) {
      return null;
    }
    return value.value().dwordValue().getAsInt();
  }
}
