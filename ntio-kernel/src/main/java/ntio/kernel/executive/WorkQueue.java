package ntio.kernel.executive;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One system work queue and its worker threads: {@code EX_WORK_QUEUE} plus the threads {@code
 * ExpWorkerThread} runs on.
 */
final class WorkQueue {

  /**
   * A queued routine and the driver to name if it throws (null if none is known), or, with {@code
   * stop} set, the marker that ends one worker thread.
   */
  record Item(Runnable routine, String driver, boolean stop) {}

  final WorkQueueType type;
  private final LinkedBlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private final List<Thread> threads;
  private final Set<Thread> threadSet;

  /** Posted once per thread at shutdown, behind every real item; never counted as work. */
  private final Item stop = new Item(() -> {}, null, true);

  private final LongAdder queued = new LongAdder();
  private final LongAdder dequeued = new LongAdder();
  private final LongAdder completed = new LongAdder();

  /**
   * Creates the queue's threads through {@code factory}; they are not started yet.
   *
   * @param runItem runs one item on the calling worker thread and handles whatever it throws
   */
  WorkQueue(WorkQueueType type, int threadCount, ThreadFactory factory, Consumer<Item> runItem) {
    this.type = type;
    List<Thread> created = new ArrayList<>(threadCount);
    for (int i = 0; i < threadCount; i++) {
      Thread thread = factory.newThread(() -> serve(runItem));
      if (thread == null) {
        throw new IllegalStateException(
            "thread factory refused worker thread " + i + " of the " + type + " queue");
      }
      created.add(thread);
    }
    this.threads = List.copyOf(created);
    this.threadSet = Set.copyOf(created);
  }

  void start() {
    threads.forEach(Thread::start);
  }

  /** Adds an item at the tail. The caller has checked that the queues still accept work. */
  void enqueue(Item item) {
    queued.increment();
    items.add(item);
  }

  /** Puts one stop marker per thread behind everything queued so far. */
  void postStops() {
    for (int i = 0; i < threads.size(); i++) {
      items.add(stop);
    }
  }

  List<Thread> threads() {
    return threads;
  }

  boolean isWorker(Thread thread) {
    return threadSet.contains(thread);
  }

  WorkQueueStats stats() {
    // Read in the reverse order of updates so no difference can go negative.
    long done = completed.sum();
    long taken = dequeued.sum();
    long accepted = queued.sum();
    return new WorkQueueStats(type, threads.size(), accepted, done, accepted - taken, taken - done);
  }

  /**
   * The worker loop: {@code ExpWorkerThread}. Items run in FIFO order of dequeue; nothing an item
   * does ends the loop, only a stop marker.
   */
  private void serve(Consumer<Item> runItem) {
    while (true) {
      Item item;
      try {
        item = items.take();
      } catch (InterruptedException e) {
        // System worker threads are not stopped by interrupts; only shutdown stops them.
        continue;
      }
      if (item.stop()) {
        return;
      }
      dequeued.increment();
      try {
        runItem.accept(item);
      } finally {
        completed.increment();
        // An interrupt aimed at one item must not leak into the next one.
        Thread.interrupted();
      }
    }
  }
}
