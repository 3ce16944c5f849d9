package ntio.kernel.verifier;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The verifier's class-loader probes (DV8), batched: each verified image unmapped adds a weak
 * reference to its loader; one job on a System worker waits for unmaps to stop coming for a
 * moment, then probes everything pending with one {@link LoaderProbe} run (one collection for the
 * whole batch, a few more only while some loader is still there), and reports each loader still
 * reachable, naming what holds it ({@link LoaderHolders}). No NT counterpart.
 *
 * <p>Thread-safe. {@link #probe} only queues: it never collects, and never runs on or blocks the
 * unloading thread beyond taking its own leaf lock.
 */
final class LoaderProbes {

  /*
   * Implementation notes:
   *
   * At most one job is queued or running at a time ("scheduled"). A probe arriving while one is
   * scheduled joins the pending list; the job drains it in rounds until a round finds nothing, and
   * only then clears "scheduled", under the lock, so no probe is ever left without a job.
   *
   * Before each round the job waits until no probe came for "settle" (bounded by "maximumSettle"):
   * unmaps of one unload storm then share one collection, and the thread that unmapped the last
   * image has time to return, dropping the frames that still hold its driver object.
   *
   * The report runs with no lock held: the snapshot of threads reads every stack, and the finding
   * sink is the verifier's.
   *
   * A loader still reachable after its batch's collections gets a second look, in the next round,
   * before it is reported: the JVM itself can hold a dead image's classes for a moment — compiled
   * code still on a running thread's stack embeds the class it was compiled for, until that frame
   * returns or is deoptimized. Under a tight load/unload loop a few loaders in 10,000 were reported
   * that way on a first look and were gone on the next. A real leak (a static of a JDK class, a
   * thread) is still there on the second look, and is reported then.
   */

  /** How long no new probe must come before a batch runs. */
  static final Duration SETTLE = Duration.ofMillis(25);

  /** The longest a batch waits for probes to stop coming. */
  static final Duration MAXIMUM_SETTLE = Duration.ofMillis(250);

  /** One probe; {@code looks} is how many batches already found its loader still reachable. */
  private record Pending(String imageName, Reference<? extends ClassLoader> loader, int looks) {}

  /** How many batches must find a loader reachable before it is reported. */
  static final int LOOKS_BEFORE_REPORT = 2;

  private final Executor worker;
  private final Runnable collector;
  private final BiConsumer<String, String> reachable;
  private final Duration settle;
  private final Duration maximumSettle;

  private final Object lock = new Object();

  @GuardedBy("lock")
  private final List<Pending> pending = new ArrayList<>();
  /** Whether a job is queued or running; it clears this itself, when it finds nothing pending. */
  @GuardedBy("lock")
  private boolean scheduled;
  @GuardedBy("lock")
  private long lastProbeAt;
  @GuardedBy("lock")
  private long probes;
  @GuardedBy("lock")
  private long provenUnreachable;
  @GuardedBy("lock")
  private long stillReachable;
  @GuardedBy("lock")
  private long abandoned;
  @GuardedBy("lock")
  private long batches;
  @GuardedBy("lock")
  private long collections;

  /**
   * @param worker where batches run: a System worker, never the unloading thread; may refuse with
   *     {@link RejectedExecutionException} when shutting down
   * @param collector what asks for a collection, {@code System::gc}
   * @param reachable told (image name, what holds it) for each loader still reachable
   */
  LoaderProbes(Executor worker, Runnable collector, BiConsumer<String, String> reachable,
      Duration settle, Duration maximumSettle) {
    this.worker = Objects.requireNonNull(worker, "worker");
    this.collector = Objects.requireNonNull(collector, "collector");
    this.reachable = Objects.requireNonNull(reachable, "reachable");
    this.settle = Objects.requireNonNull(settle, "settle");
    this.maximumSettle = Objects.requireNonNull(maximumSettle, "maximumSettle");
  }

  /** Queues a probe of {@code loader}, which the image {@code imageName} was just unmapped from. */
  void probe(String imageName, Reference<? extends ClassLoader> loader) {
    Objects.requireNonNull(imageName, "imageName");
    Objects.requireNonNull(loader, "loader");
    synchronized (lock) {
      pending.add(new Pending(imageName, loader, 0));
      probes++;
      lastProbeAt = System.nanoTime();
      if (scheduled) {
        lock.notifyAll();
        return;
      }
      scheduled = true;
    }
    try {
      worker.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The System workers are going away with the kernel: nobody is left to ask.
      synchronized (lock) {
        abandoned += pending.size();
        pending.clear();
        scheduled = false;
        lock.notifyAll();
      }
    }
  }

  /**
   * Waits until every probe queued so far has its answer.
   *
   * @return whether they all did within {@code timeout}; false also when interrupted (the interrupt
   *     status is set again)
   */
  boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (scheduled) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  LoaderProbeStatistics statistics() {
    synchronized (lock) {
      return new LoaderProbeStatistics(probes, provenUnreachable, stillReachable, abandoned,
          batches, collections);
    }
  }

  /** The job: runs batches until none is pending. */
  private void drain() {
    boolean done = false;
    try {
      while (true) {
        List<Pending> batch;
        synchronized (lock) {
          settleLocked();
          if (pending.isEmpty()) {
            scheduled = false;
            lock.notifyAll();
            done = true;
            return;
          }
          batch = List.copyOf(pending);
          pending.clear();
        }
        run(batch);
      }
    } finally {
      if (!done) {
        // A bug in a probe, or the worker stopped: do not leave waiters hanging.
        synchronized (lock) {
          abandoned += pending.size();
          pending.clear();
          scheduled = false;
          lock.notifyAll();
        }
      }
    }
  }

  @GuardedBy("lock")
  private void settleLocked() {
    long start = System.nanoTime();
    while (true) {
      long now = System.nanoTime();
      long quiet = now - lastProbeAt;
      long waited = now - start;
      if (quiet >= settle.toNanos() || waited >= maximumSettle.toNanos()) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(lock,
            Math.min(settle.toNanos() - quiet, maximumSettle.toNanos() - waited));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void run(List<Pending> batch) {
    List<Reference<? extends ClassLoader>> references = new ArrayList<>(batch.size());
    for (Pending probe : batch) {
      references.add(probe.loader());
    }
    LoaderProbe.Outcome outcome = LoaderProbe.check(references, LoaderProbe.DEFAULT_COLLECTIONS,
        LoaderProbe.DEFAULT_PAUSE, collector);
    Set<Reference<? extends ClassLoader>> left =
        Collections.newSetFromMap(new IdentityHashMap<>());
    left.addAll(outcome.reachable());
    long reported = 0;
    List<Pending> again = new ArrayList<>();
    if (!outcome.interrupted() && !left.isEmpty()) {
      List<Pending> due = new ArrayList<>();
      for (Pending probe : batch) {
        if (!left.contains(probe.loader())) {
          continue;
        }
        if (probe.looks() + 1 < LOOKS_BEFORE_REPORT) {
          again.add(new Pending(probe.imageName(), probe.loader(), probe.looks() + 1));
        } else {
          due.add(probe);
        }
      }
      if (!due.isEmpty()) {
        LoaderHolders holders = LoaderHolders.snapshot();
        for (Pending probe : due) {
          if (report(probe, holders, outcome.collections())) {
            reported++;
          }
        }
      }
    }
    synchronized (lock) {
      batches++;
      collections += outcome.collections();
      if (outcome.interrupted()) {
        abandoned += batch.size();
      } else {
        stillReachable += reported;
        provenUnreachable += batch.size() - reported - again.size();
        // Looked at again in the next round of the job that is running this one.
        pending.addAll(again);
      }
    }
  }

  /** Reports one loader still reachable; false if it went after all while we looked. */
  private boolean report(Pending probe, LoaderHolders holders, int collections) {
    ClassLoader loader = probe.loader().get();
    if (loader == null) {
      return false;
    }
    String message = probe.imageName() + " was unmapped, but its class loader \"" + loader.getName()
        + "\" is still reachable after " + collections
        + (collections == 1 ? " garbage collection: " : " garbage collections: ")
        + holders.describe(loader)
        + (LoaderProbe.explicitCollectionsDisabled()
            ? " (but this JVM runs with -XX:+DisableExplicitGC, so no collection was made and this"
                + " proves nothing)"
            : "");
    reachable.accept(probe.imageName(), message);
    return true;
  }
}
