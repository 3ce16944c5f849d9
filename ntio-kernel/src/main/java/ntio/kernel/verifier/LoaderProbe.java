package ntio.kernel.verifier;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Proves that class loaders became unreachable: asks for a garbage collection, then looks at weak
 * references to them, for a whole batch of loaders at once, and tries again a bounded number of
 * times for those still there. Synchronous: it runs on the calling thread, which must not hold a
 * kernel lock. The verifier's probe at image unmap ({@link Verifier#probeLoader}) batches through
 * this; benchmarks and tools may call it directly. No NT counterpart: on the JVM, an unloaded
 * image's class loader becoming unreachable is the proof that nothing still refers into the
 * image's code, the question Driver Verifier's unload checks (DV8) answer in NT.
 *
 * <p>Stateless and thread-safe.
 */
public final class LoaderProbe {

  /*
   * Implementation notes:
   *
   * The references are checked with refersTo(null) right after System.gc() returns, not by
   * waiting on a reference queue: the collector clears a weak reference during the collection
   * itself, and only enqueues it later, through the Reference Handler thread. Reading the referent
   * field is therefore exact as soon as the collection is over, and needs no wait.
   *
   * A weak reference is cleared when its referent is neither strongly nor softly reachable. A
   * loader that only a SoftReference still reaches therefore counts as reachable; HotSpot's full
   * collections for System.gc() do not clear soft references.
   *
   * The pause between collections lets a thread that is still returning from the unload (its
   * stack frames hold the driver object, say) finish; it is not needed for the references.
   */

  /** How many collections {@link #check(List)} asks for at most. */
  public static final int DEFAULT_COLLECTIONS = 3;

  /** How long {@link #check(List)} waits between two collections. */
  public static final Duration DEFAULT_PAUSE = Duration.ofMillis(25);

  /**
   * What a probe found.
   *
   * @param reachable the references given whose loaders were still reachable after the last
   *     collection: the very objects passed in, in their order
   * @param collections how many collections were asked for ({@code System.gc()} calls); 0 when
   *     every loader was already gone
   * @param interrupted whether the caller was interrupted between two collections and the probe
   *     stopped early, so that {@code reachable} proves nothing (the interrupt status is set again)
   */
  public record Outcome(List<Reference<? extends ClassLoader>> reachable, int collections,
      boolean interrupted) {

    public Outcome {
      reachable = List.copyOf(reachable);
    }

    /** Whether every loader was proven unreachable. */
    public boolean allUnreachable() {
      return reachable.isEmpty() && !interrupted;
    }
  }

  private LoaderProbe() {}

  /**
   * Probes a batch: at most {@link #DEFAULT_COLLECTIONS} collections, {@link #DEFAULT_PAUSE}
   * apart, and none once every loader is gone.
   *
   * @param loaders weak (or phantom) references to the loaders; their referents must no longer be
   *     reachable from the caller's own frames
   */
  public static Outcome check(List<? extends Reference<? extends ClassLoader>> loaders) {
    return check(loaders, DEFAULT_COLLECTIONS, DEFAULT_PAUSE);
  }

  /**
   * Probes a batch with a given bound.
   *
   * @param maximumCollections at least 1
   * @param pause how long to wait between two collections; may be zero
   */
  public static Outcome check(List<? extends Reference<? extends ClassLoader>> loaders,
      int maximumCollections, Duration pause) {
    return check(loaders, maximumCollections, pause, System::gc);
  }

  /**
   * Whether this JVM ignores {@code System.gc()} ({@code -XX:+DisableExplicitGC}): a probe then
   * collects nothing, and a loader it finds reachable proves nothing.
   */
  public static boolean explicitCollectionsDisabled() {
    try {
      return Boolean.parseBoolean(java.lang.management.ManagementFactory
          .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
          .getVMOption("DisableExplicitGC").getValue());
    } catch (RuntimeException e) {
      return false; // not HotSpot, or no such option: System.gc() is assumed to collect
    }
  }

  /** {@link #check(List, int, Duration)} with another way to collect, for counting them. */
  static Outcome check(List<? extends Reference<? extends ClassLoader>> loaders,
      int maximumCollections, Duration pause, Runnable collector) {
    Objects.requireNonNull(loaders, "loaders");
    Objects.requireNonNull(pause, "pause");
    Objects.requireNonNull(collector, "collector");
    if (maximumCollections < 1) {
      throw new IllegalArgumentException("at least one collection: " + maximumCollections);
    }
    List<Reference<? extends ClassLoader>> left = new ArrayList<>(loaders.size());
    for (Reference<? extends ClassLoader> loader : loaders) {
      if (!loader.refersTo(null)) {
        left.add(loader);
      }
    }
    int collections = 0;
    while (!left.isEmpty() && collections < maximumCollections) {
      if (collections > 0 && !pause.isZero()) {
        try {
          Thread.sleep(pause.toMillis(), pause.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Outcome(left, collections, true);
        }
      }
      collector.run();
      collections++;
      left.removeIf(loader -> loader.refersTo(null));
    }
    return new Outcome(left, collections, false);
  }
}
