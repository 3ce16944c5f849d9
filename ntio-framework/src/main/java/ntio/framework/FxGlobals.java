package ntio.framework;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.List;
import java.util.Locale;
import ntio.ddk.DriverFlags;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.ddk.UnicodeString;

/**
 * The framework's per-driver globals: what {@code WdfVersionBind} allocates for a driver and
 * {@code FxDestroy} frees. Models {@code FX_DRIVER_GLOBALS} (S10, S11; partial). One instance per
 * bound driver, reachable only from that driver's objects and its {@link Wdf}: two drivers, or two
 * kernels, never share one.
 *
 * <p>It holds the driver's services, pool tag, verifier settings, framework pool, the tree lock,
 * the WDFDRIVER once created, and a reference count that outstanding framework work (a queued work
 * item, a running timer callback) holds, so that teardown waits for it (L7 d, L12).
 */
final class FxGlobals {

  /** Bug check {@code WDF_VIOLATION}. */
  static final int WDF_VIOLATION = 0x10D;
  /** 0x10D P1: a required parameter is null (V-KMDF-04). */
  static final int WDF_REQUIRED_PARAMETER_IS_NULL = 0x4;
  /** 0x10D P1: an invalid or destroyed handle (V-KMDF-03). */
  static final int WDF_INVALID_HANDLE = 0x5;
  /** 0x10D P1: a request used after it was completed. */
  static final int WDF_REQUEST_FATAL_ERROR = 0x6;
  /** 0x10D P1: an object freed by dereference while still in a tree (V-KMDF-01). */
  static final int WDF_OBJECT_ERROR = 0x7;

  /** {@code FX_TAG}, 'rDxF' in C: shows as {@code FxDr}. */
  static final int FX_TAG = PoolTag.of("FxDr");
  /** {@code ' kdD'} in C, the DDK's default tag, which a driver config may not use (L11). */
  static final int DDK_DEFAULT_TAG = PoolTag.of("Ddk ");

  /** Bytes of pool an object header takes; contexts add {@link #CONTEXT_HEADER_SIZE}. */
  static final long OBJECT_HEADER_SIZE = 0x60;
  static final long CONTEXT_HEADER_SIZE = 0x20;
  static final long GLOBALS_SIZE = 0x1A0;

  /** Where the globals are in their life. */
  enum Phase {
    /** Bound: DriverEntry may run, DDIs work. */
    BOUND,
    /** {@code FxDestroy} is waiting for outstanding references. */
    TEARING_DOWN,
    /** Freed: the driver is unbound. */
    DESTROYED
  }

  final DriverObject driverObject;
  final KernelServices services;
  final UnicodeString registryPath;
  final WdfVerifierSettings settings;
  final FxTreeLock treeLock = new FxTreeLock();
  final FxPool pool;
  final Wdf wdf;
  final FxLeakDetection leakDetection;
  /** Disposes asked for above PASSIVE_LEVEL, run on a worker (O10). */
  final FxDisposeList disposeList = new FxDisposeList(this);
  private final FxPool.Allocation self;

  @GuardedBy("treeLock")
  private WdfDriver driver;

  @GuardedBy("treeLock")
  private int references = 1;

  @GuardedBy("treeLock")
  private Phase phase = Phase.BOUND;

  @GuardedBy("treeLock")
  private int tag = FX_TAG;

  /**
   * Whether WdfDriverCreate has ever succeeded for this driver: it stays true after teardown.
   * Volatile, not under the tree lock, so that every DDI's check of it costs no lock.
   */
  private volatile boolean driverCreated;

  /** Whether the unload routine is displaced by the stub's (L6 step 5). */
  @GuardedBy("treeLock")
  private boolean displaceDriverUnload;

  private FxGlobals(DriverObject driverObject, UnicodeString registryPath, WdfVerifierSettings settings,
      FxPool pool, FxPool.Allocation self) {
    this.driverObject = driverObject;
    this.services = driverObject.services();
    this.registryPath = registryPath;
    this.settings = settings;
    this.pool = pool;
    this.self = self;
    this.leakDetection = new FxLeakDetection(this);
    this.wdf = new Wdf(this);
  }

  /**
   * Binds {@code driver} to the framework: reads its verifier settings and allocates its globals
   * from pool. Models {@code WdfVersionBind} and {@code FxLibraryCommonRegisterClient}.
   *
   * @return the globals, or null when their pool allocation failed (DriverEntry then fails with
   *     {@code STATUS_INSUFFICIENT_RESOURCES} without the driver's entry running)
   */
  static FxGlobals bind(DriverObject driver, UnicodeString registryPath) {
    KernelServices services = driver.services();
    WdfVerifierSettings settings = WdfVerifierSettings.read(services, driver, registryPath);
    var block = services.allocatePoolWithTag(PoolType.NON_PAGED, GLOBALS_SIZE, FX_TAG);
    if (!block.status().isSuccess() || block.block() == null) {
      return null;
    }
    FxPool pool = new FxPool(services, settings.allocateFailCount());
    return new FxGlobals(driver, registryPath, settings, pool,
        new FxPool.Allocation(block.block(), FX_TAG, "framework globals"));
  }

  /** The globals' address: P4 of every framework bug check. */
  long address() {
    return self.address();
  }

  // Driver and tag ------------------------------------------------------------------------------

  WdfDriver driver() {
    synchronized (treeLock) {
      return driver;
    }
  }

  void setDriver(WdfDriver created, int poolTag, boolean displace) {
    synchronized (treeLock) {
      driver = created;
      driverCreated = true;
      tag = poolTag;
      displaceDriverUnload = displace;
    }
  }

  /** The check of {@link #checkDriverCreated}. */
  static final String DDI_BEFORE_DRIVER_CREATE = "V-KMDF-DRIVERCREATE";

  /**
   * Reports {@code ddi} when it is called before WdfDriverCreate (L8; D8: a KMDF driver must call
   * WdfDriverCreate before any other framework routine, the rule SDV checks as DriverCreate, D25).
   * What such a call creates has no parent (O2): nothing ever deletes it, not even the failure
   * path of DriverEntry, and with the verifier off no other check reports it; this finding, made
   * whatever the verifier setting as ntio records every DbgBreak, is what reveals it. [MODEL]
   * KMDF does not check this at run time; only static analysis does.
   */
  void checkDriverCreated(String ddi) {
    if (driverCreated) {
      return;
    }
    boolean early;
    synchronized (treeLock) {
      early = phase == Phase.BOUND;
    }
    if (early) {
      verifierBreak(DDI_BEFORE_DRIVER_CREATE, ddi + " called before WdfDriverCreate: a framework driver must"
          + " create its WDFDRIVER first; what is created now has no parent and is never deleted for the driver"
          + " (L8, O2)");
    }
  }

  /** {@code globals->Driver = NULL} after the WDFDRIVER was deleted (L7 c). */
  void clearDriver() {
    synchronized (treeLock) {
      driver = null;
    }
  }

  boolean displaceDriverUnload() {
    synchronized (treeLock) {
      return displaceDriverUnload;
    }
  }

  int tag() {
    synchronized (treeLock) {
      return tag;
    }
  }

  /**
   * The driver's pool tag for framework allocations. Models {@code FxDriver::_InitializeTag}
   * (L11): the config's tag unless it is zero or the DDK default {@code ' kdD'}; else the first
   * four characters of the service name after a leading "WDF"; else, when two or fewer remain,
   * {@code FxDr}.
   *
   * @implNote A name of three characters is padded with a space, where KMDF leaves a zero byte: a
   *     tag byte that is not printable would show as '.' in every pool report.
   */
  static int deriveTag(int configTag, UnicodeString registryPath) {
    if (configTag != 0 && configTag != DDK_DEFAULT_TAG) {
      return configTag;
    }
    if (registryPath == null || !registryPath.isWellFormed()) {
      return FX_TAG;
    }
    String path = registryPath.text();
    String name = path.substring(path.lastIndexOf('\\') + 1);
    if (name.toUpperCase(Locale.ROOT).startsWith("WDF")) {
      name = name.substring(3);
    }
    if (name.length() <= 2) {
      return FX_TAG;
    }
    String chars = name.substring(0, Math.min(4, name.length()));
    for (int i = 0; i < chars.length(); i++) {
      if (chars.charAt(i) < 0x21 || chars.charAt(i) > 0x7E) {
        return FX_TAG;
      }
    }
    return PoolTag.of(chars);
  }

  boolean isBuiltinDriver() {
    return (driverObject.flags() & DriverFlags.DRVO_BUILTIN_DRIVER) != 0;
  }

  // Allocation ----------------------------------------------------------------------------------

  /** A framework allocation with the driver's tag, counted toward the fail count. */
  FxPool.Allocation allocate(long size, String what) {
    return pool.allocate(PoolType.NON_PAGED, size, tag(), what, true);
  }

  // Findings ------------------------------------------------------------------------------------

  /** A non-fatal finding: {@code FxVerifierDbgBreakPoint} with its trace message. */
  void verifierBreak(String check, String message) {
    services.verifierBreak(check, "[" + driverObject.driverName() + "] " + message);
  }

  /** A fatal finding: {@code WDF_VIOLATION} (0x10D), P4 = the globals. Never returns. */
  RuntimeException bugCheck(long p1, long p2, long p3, String message) {
    return services.bugCheckEx(WDF_VIOLATION, p1, p2, p3, address(), message);
  }

  // Outstanding work ----------------------------------------------------------------------------

  /** Takes a reference on the globals for outstanding framework work (a queued work item...). */
  void reference() {
    synchronized (treeLock) {
      references++;
    }
  }

  /** Drops a reference taken by {@link #reference()}. */
  void release() {
    synchronized (treeLock) {
      if (--references < 0) {
        throw new IllegalStateException("framework globals reference count underflow");
      }
      treeLock.notifyAll();
    }
  }

  @SuppressWarnings("GuardedBy") // called by FxWait with the tree lock held
  private boolean idleLocked() {
    return references == 0;
  }

  @SuppressWarnings("GuardedBy") // called by FxWait with the tree lock held
  private int referencesLocked() {
    return references;
  }

  Phase phase() {
    synchronized (treeLock) {
      return phase;
    }
  }

  /**
   * Frees the globals. Models {@code FxDestroy} (L7 d): drops the globals' own reference, waits
   * for every other one (work still queued or running; a wait longer than {@code
   * DbgWaitForSignalTimeoutInSec} is reported, V-KMDF-20, and goes on: {@link FxWait}), then —
   * with the verifier on — reports what is left in the framework pool (V-KMDF-09). Leaked allocations are
   * not freed: they stay charged to the driver, where Driver Verifier finds them at the unmap.
   */
  void destroy() {
    synchronized (treeLock) {
      if (phase != Phase.BOUND) {
        throw new IllegalStateException("framework globals of " + driverObject.driverName() + " destroyed twice");
      }
      phase = Phase.TEARING_DOWN;
      references--;
      FxWait.waitLocked(this, this::idleLocked, () -> "in FxDestroy (the teardown of " + driverObject.driverName()
          + ") for " + referencesLocked() + " outstanding framework reference(s): a queued or running work item or"
          + " timer callback");
    }
    List<FxPool.Allocation> leaks = pool.leaks();
    if (settings.verifierOn() && !leaks.isEmpty()) {
      StringBuilder report = new StringBuilder();
      report.append(leaks.size()).append(" framework allocation(s) not freed at teardown:");
      for (FxPool.Allocation leak : leaks) {
        report.append("\n  ").append(leak);
      }
      verifierBreak("V-KMDF-09", report.toString());
    }
    services.freePoolWithTag(self.block, self.tag);
    synchronized (treeLock) {
      phase = Phase.DESTROYED;
    }
  }
}
