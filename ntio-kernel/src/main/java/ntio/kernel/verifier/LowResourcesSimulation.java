package ntio.kernel.verifier;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import ntio.api.FaultSettings;

/**
 * Both low resources simulations of one kernel: the randomized one (DV6, flag 0x4), which fails
 * an eligible call with the configured probability once the start-up delay has passed, and the
 * systematic one (DV7, flag 0x40000), which fails the first call from each distinct call site and
 * lets every later one through. Models {@code VfFaultInjection} / {@code ViFaultsCheck} and the
 * systematic simulation's stack table (partial: the calls listed in {@link Verifier#injectFault}).
 *
 * <p>Thread-safe. The seen-site table is per kernel and keyed by image name, so it outlives every
 * load of the image; it holds strings only, never a class or a loader.
 */
final class LowResourcesSimulation {

  /*
   * Implementation notes:
   *
   * A site is found by walking the stack with the classes retained and keeping the frames whose
   * class the image's own loader defined. That is exact — a copy of a driver class on the kernel's
   * class path is not the image's — and cheap enough, because it only happens when the
   * systematic flag is on. Frames of ntio.framework.* are left out by name as well: the
   * framework is a library the image links, not the image, though the import filter already
   * serves it from outside the image's loader.
   *
   * "First seen" is decided by Set.add on a concurrent set: of two threads racing on a new site
   * exactly one fails.
   */

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private final InstantSource clock;
  private final Instant bootTime;

  /** Sites seen by the systematic simulation, by upper-cased image name. */
  private final ConcurrentHashMap<String, Set<CallSite>> seen = new ConcurrentHashMap<>();

  /** The counted fault injection armed by tests and tools ({@link FaultSweep}). */
  private final FaultSweep sweep = new FaultSweep();

  LowResourcesSimulation(InstantSource clock, Instant bootTime) {
    this.clock = clock;
    this.bootTime = bootTime;
  }

  /** The counted fault injection. */
  FaultSweep sweep() {
    return sweep;
  }

  /** The kernel's clock. */
  InstantSource clock() {
    return clock;
  }

  /**
   * Whether this call should fail, counting it on {@code image} if so. An armed {@link
   * FaultSweep} decides first, then the systematic simulation; the randomized one then draws.
   *
   * @param tag the pool tag the call allocates with, for the tag filter
   */
  boolean fail(VerifiedImage image, String routine, int tag) {
    if (sweep.fail(image.imageName())) {
      image.injectedFault();
      return true;
    }
    if (image.simulatesLowResourcesSystematically() && firstTimeSeen(image, routine)) {
      image.injectedSystematicFault();
      return true;
    }
    if (image.simulatesLowResources() && randomFailure(image, tag)) {
      image.injectedFault();
      return true;
    }
    return false;
  }

  private boolean randomFailure(VerifiedImage image, int tag) {
    FaultSettings faults = image.faults();
    if (faults.probability() == 0 || !faults.matchesTag(tag)) {
      return false;
    }
    if (clock.instant().isBefore(bootTime.plus(faults.delay()))) {
      return false;
    }
    return image.nextDraw() < faults.probability();
  }

  private boolean firstTimeSeen(VerifiedImage image, String routine) {
    ClassLoader classes = image.classes();
    if (classes == null) {
      return false; // no image classes to find: not a driver's call site
    }
    List<String> frames = WALKER.walk(stack -> stack
        .filter(frame -> frame.getDeclaringClass().getClassLoader() == classes
            && !frame.getClassName().startsWith("ntio.framework."))
        .map(frame -> frame.getClassName() + "." + frame.getMethodName() + ":"
            + frame.getLineNumber())
        .toList());
    if (frames.isEmpty()) {
      return false;
    }
    return seen.computeIfAbsent(key(image.imageName()), name -> ConcurrentHashMap.newKeySet())
        .add(new CallSite(routine, frames));
  }

  /** The sites seen for {@code imageName}, sorted by their text. */
  List<CallSite> seenSites(String imageName) {
    Set<CallSite> sites = seen.get(key(imageName));
    if (sites == null) {
      return List.of();
    }
    List<CallSite> sorted = new ArrayList<>(sites);
    sorted.sort(Comparator.comparing(CallSite::toString));
    return List.copyOf(sorted);
  }

  /** Every image's seen sites. */
  Map<String, List<CallSite>> seenSites() {
    Map<String, List<CallSite>> all = new java.util.TreeMap<>();
    for (String name : seen.keySet()) {
      all.put(name, seenSites(name));
    }
    return all;
  }

  /** Forgets {@code imageName}'s sites, or every image's when null. */
  void reset(String imageName) {
    if (imageName == null) {
      seen.clear();
    } else {
      seen.remove(key(imageName));
    }
  }

  private static String key(String imageName) {
    return imageName.toUpperCase(Locale.ROOT);
  }
}
