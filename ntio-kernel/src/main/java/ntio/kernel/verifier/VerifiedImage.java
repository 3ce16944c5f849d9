package ntio.kernel.verifier;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import ntio.api.DriverStatistics;
import ntio.api.FaultSettings;
import ntio.api.VerifierFinding;
import ntio.api.VerifierSettings;

/**
 * One load of an image under the verifier: the flags and {@code /faults} parameters it was loaded
 * with (the configuration is read when a driver loads, DV1), and the counters {@code verifier
 * /query} shows for it. Models the verifier's per-driver record ({@code MI_VERIFIER_DRIVER_ENTRY}:
 * partial, the pool counters, the deliberate failures and the non-fatal findings).
 *
 * <p>Each load is a new record, equal only to itself. Thread-safe: the counters are atomic, and a
 * snapshot ({@link #statistics()}) may see an allocation counted before its outstanding count.
 */
public final class VerifiedImage {

  /*
   * Implementation notes:
   *
   * The record must not keep the image's classes alive after the unmap, because the verifier
   * keeps the last unloaded load's figures: it holds the image's class loader and the mapped test
   * weakly (the loader's reference is the one LoadedImage took at map time).
   *
   * The pseudo-random sequence is SplitMix64 over one atomic counter: lock-free, and for calls
   * made one at a time it is the same sequence on every run with the same seed.
   */

  /** Most findings kept per load; older ones are dropped. */
  static final int MAX_FINDINGS = 256;

  private final String imageName;
  private final int flags;
  private final FaultSettings faults;
  private final WeakReference<ClassLoader> classes;
  private final BooleanSupplier mapped;

  private final LongAdder allocations = new LongAdder();
  private final LongAdder frees = new LongAdder();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong peak = new AtomicLong();
  private final LongAdder faultsInjected = new LongAdder();
  private final LongAdder systematicFaultsInjected = new LongAdder();
  private final AtomicLong random;

  @GuardedBy("findings")
  private final List<VerifierFinding> findings = new ArrayList<>();

  /**
   * A record with no image behind it (its classes unknown, always reported as loaded): for tests
   * of the flag accessors.
   */
  public VerifiedImage(String imageName, int flags) {
    this(imageName, flags, FaultSettings.DEFAULT, new WeakReference<>(null), () -> true);
  }

  /**
   * @param classes the image's class loader, held weakly: which stack frames are the driver's
   * @param mapped whether the image is still mapped
   */
  VerifiedImage(String imageName, int flags, FaultSettings faults,
      WeakReference<ClassLoader> classes, BooleanSupplier mapped) {
    this.imageName = Objects.requireNonNull(imageName, "imageName");
    this.flags = flags;
    this.faults = Objects.requireNonNull(faults, "faults");
    this.classes = Objects.requireNonNull(classes, "classes");
    this.mapped = Objects.requireNonNull(mapped, "mapped");
    this.random = new AtomicLong(faults.seed() ^ imageName.toUpperCase(Locale.ROOT).hashCode());
  }

  /** The image's file name, such as {@code Leaky.jar}. */
  public String imageName() {
    return imageName;
  }

  /** The {@code VerifyDriverLevel} bits in force for this load. */
  public int flags() {
    return flags;
  }

  /** The {@code /faults} parameters in force for this load. */
  public FaultSettings faults() {
    return faults;
  }

  /**
   * Whether Force IRQL checking (0x2) is on: pageable data and code touched at DISPATCH_LEVEL or
   * above always fault, and so does any wait there that could block; the verifier's IRQL subcodes
   * of 0xC4 apply (DV9).
   */
  public boolean checksIrql() {
    return (flags & VerifierSettings.IRQL_CHECKING) != 0;
  }

  /** Whether pool tracking (0x8) is on: allocations record their site, and unload scans them. */
  public boolean tracksPool() {
    return (flags & VerifierSettings.POOL_TRACKING) != 0;
  }

  /** Whether Miscellaneous Checks (0x800) are on: the unload scan looks for trace providers. */
  public boolean miscellaneousChecks() {
    return (flags & VerifierSettings.MISCELLANEOUS_CHECKS) != 0;
  }

  /** Whether I/O verification (0x10) is on: cancelled requests must be completed in time. */
  public boolean verifiesIo() {
    return (flags & VerifierSettings.IO_VERIFICATION) != 0;
  }

  /** Whether the randomized low resources simulation (0x4) is on (DV6). */
  public boolean simulatesLowResources() {
    return (flags & VerifierSettings.LOW_RESOURCES_SIMULATION) != 0;
  }

  /** Whether the systematic low resources simulation (0x40000) is on (DV7). */
  public boolean simulatesLowResourcesSystematically() {
    return (flags & VerifierSettings.SYSTEMATIC_LOW_RESOURCES) != 0;
  }

  /** Whether the image is still mapped. */
  public boolean isLoaded() {
    return mapped.getAsBoolean();
  }

  /** This load's figures for {@code verifier /query}. */
  public DriverStatistics statistics() {
    List<VerifierFinding> kept;
    synchronized (findings) {
      kept = List.copyOf(findings);
    }
    return new DriverStatistics(imageName, isLoaded(), flags, allocations.sum(), frees.sum(),
        outstanding.get(), peak.get(), faultsInjected.sum(), systematicFaultsInjected.sum(), kept);
  }

  @Override
  public String toString() {
    return imageName + " (verified, flags 0x" + Integer.toHexString(flags).toUpperCase(Locale.ROOT)
        + ")";
  }

  // Package-private: the verifier's bookkeeping ---------------------------------------------------

  /** The image's class loader, or null once it is gone. */
  ClassLoader classes() {
    return classes.get();
  }

  void allocated() {
    allocations.increment();
    long now = outstanding.incrementAndGet();
    long high = peak.get();
    while (now > high && !peak.compareAndSet(high, now)) {
      high = peak.get();
    }
  }

  void freed() {
    frees.increment();
    outstanding.decrementAndGet();
  }

  void injectedFault() {
    faultsInjected.increment();
  }

  void injectedSystematicFault() {
    systematicFaultsInjected.increment();
  }

  /** The next draw out of {@link FaultSettings#PROBABILITY_SCALE}: 0 to 9,999. */
  int nextDraw() {
    long z = random.addAndGet(0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (int) Long.remainderUnsigned(z, FaultSettings.PROBABILITY_SCALE);
  }

  void record(VerifierFinding finding) {
    synchronized (findings) {
      if (findings.size() == MAX_FINDINGS) {
        findings.remove(0);
      }
      findings.add(finding);
    }
  }
}
