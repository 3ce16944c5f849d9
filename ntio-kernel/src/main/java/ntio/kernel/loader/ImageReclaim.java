package ntio.kernel.loader;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Keeps linking a new image as cheap as the first: after many images were unmapped and their
 * class loaders are still waiting to be collected, it asks the JVM to unload classes. Models the
 * part of {@code MmUnloadSystemImage} that returns an image's pages (partial: the JVM decides
 * when a dead class loader's memory really goes; this only asks, at a bounded rate).
 *
 * <p>Why it exists: HotSpot keeps one table of loader constraints, a list of class loaders per
 * class name linked across loaders, and purges dead loaders from it only when it unloads classes,
 * which G1 does only at the end of a concurrent mark or in a full collection. Every image loader
 * that linked against {@code ntio.ddk.NtStatus} stays on that name's list until then, and each
 * new link searches the list. With a collector that allocates little, as a driver host does,
 * thousands of unmapped images pile up between collections and defining one image's entry class
 * goes from about 70 µs to more than 300 µs (see docs/performance.md). Asking for a collection
 * once {@code threshold} unmapped loaders are waiting bounds the lists to that length.
 *
 * <p>A loader that stays reachable (a driver left a thread running, say) is not asked about
 * again and again: the next request waits until {@code threshold} more images were unmapped than
 * remained uncollected after the last one. With {@code -XX:+DisableExplicitGC} the requests do
 * nothing and the loaders go whenever the JVM next unloads classes.
 *
 * <p>Thread-safe. Holds only weak references to class loaders.
 */
public final class ImageReclaim {

  /** The default number of unmapped, uncollected image loaders that prompts a collection. */
  public static final int DEFAULT_THRESHOLD = 1024;

  private final int threshold;
  private final Executor executor;
  private final ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
  /** Keeps the weak references themselves reachable until their loaders are collected. */
  private final Set<Reference<? extends ClassLoader>> waiting = ConcurrentHashMap.newKeySet();

  private final Object lock = new Object();
  /** Whether a collection was asked for and has not finished. */
  private boolean requested;
  /** How many loaders must be waiting before the next request. */
  private int nextRequestAt;
  private long requests;

  /**
   * A reclaim that runs its collections on {@code executor}.
   *
   * @param threshold how many unmapped image loaders may wait for collection before one is asked
   *     for; 0 never asks
   * @param executor where the collection runs (the kernel's critical work queue); never the
   *     thread that unmapped the image
   */
  public ImageReclaim(int threshold, Executor executor) {
    if (threshold < 0) {
      throw new IllegalArgumentException("threshold must be 0 (never) or positive: " + threshold);
    }
    this.threshold = threshold;
    this.executor = Objects.requireNonNull(executor, "executor");
    this.nextRequestAt = threshold;
  }

  /** A reclaim that never asks for a collection and only counts. */
  public static ImageReclaim never() {
    return new ImageReclaim(0, Runnable::run);
  }

  /** Notes that {@code loader} was unmapped; may ask for a collection. */
  void unmapped(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    waiting.add(new WeakReference<>(loader, collected));
    int uncollected = uncollected();
    if (threshold == 0) {
      return;
    }
    synchronized (lock) {
      if (requested || uncollected < nextRequestAt) {
        return;
      }
      requested = true;
      requests++;
    }
    try {
      executor.execute(this::collect);
    } catch (RuntimeException e) {
      synchronized (lock) {
        requested = false;
      }
      throw e;
    }
  }

  /** How many unmapped image loaders have not been collected yet. No NT counterpart. */
  public int uncollected() {
    Reference<? extends ClassLoader> gone;
    while ((gone = collected.poll()) != null) {
      waiting.remove(gone);
    }
    return waiting.size();
  }

  /** How many collections were asked for since boot. No NT counterpart. */
  public long requests() {
    synchronized (lock) {
      return requests;
    }
  }

  /** The threshold this reclaim was made with; 0 means it never asks. */
  public int threshold() {
    return threshold;
  }

  private void collect() {
    try {
      System.gc();
    } finally {
      // The reference handler enqueues cleared references a little later; count them now.
      waiting.removeIf(reference -> reference.refersTo(null));
      int remaining = uncollected();
      synchronized (lock) {
        requested = false;
        nextRequestAt = remaining + threshold;
      }
    }
  }
}
