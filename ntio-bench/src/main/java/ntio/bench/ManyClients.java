package ntio.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many clients on one daemon at once: {@value #CLIENTS} {@code RemoteNt} connections to a daemon
 * with Null loaded, each on its own thread, each issuing synchronous zero-length NtReadFiles of
 * {@code \Device\Null} back to back for a fixed time. Prints the total reads per second, the
 * latency of one read (p50, p99, p99.9, max), the fewest and most reads any client made, and the
 * errors; exits with 1 if there was any error or any client made no read in the measured time.
 *
 * <p>Not a JMH benchmark: run it with {@code java -cp benchmarks.jar ntio.bench.ManyClients
 * [seconds [warm-up-seconds]]} (defaults 10 and 2). The warm-up runs the same load, unrecorded, so
 * the figures are of compiled code.
 *
 * <p>Latencies go into a {@link LatencyHistogram} per client (log buckets, 16 per power of two),
 * merged at the end: a percentile is exact to within 1/16 of its power of two (about 6 %).
 */
public final class ManyClients {

  /** How many clients. */
  static final int CLIENTS = 64;

  private ManyClients() {}

  /** {@code [seconds [warm-up-seconds]]}. */
  public static void main(String[] args) throws Exception {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      // One "connected" line per client would bury the result.
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    double warmUp = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    Result result = run(CLIENTS, warmUp, seconds);
    System.out.print(result.report());
    System.exit(result.passed() ? 0 : 1);
  }

  /**
   * Boots a daemon with Null, connects {@code clients} clients, lets them read for {@code warmUp}
   * seconds unrecorded and then {@code seconds} recorded, and shuts everything down.
   */
  static Result run(int clients, double warmUp, double seconds) throws IOException, InterruptedException {
    try (RemoteNull daemon = RemoteNull.start()) {
      List<Reader> readers = new ArrayList<>(clients);
      try {
        for (int i = 0; i < clients; i++) {
          readers.add(new Reader(daemon.connect("client" + i)));
        }
        CountDownLatch start = new CountDownLatch(1);
        long warmUpNanos = (long) (warmUp * 1e9);
        long measureNanos = (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
          Reader reader = readers.get(i);
          Thread thread = new Thread(() -> reader.run(start, warmUpNanos, measureNanos), "many-clients-" + i);
          thread.start();
          threads.add(thread);
        }
        start.countDown();
        long deadline = System.nanoTime() + warmUpNanos + measureNanos + TimeUnit.SECONDS.toNanos(60);
        for (Thread thread : threads) {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " is still in a read a minute after the end");
          }
        }
        return Result.of(readers, seconds);
      } finally {
        for (Reader reader : readers) {
          reader.client.close();
        }
      }
    }
  }

  /** One client's loop and what it recorded. Written by its thread, read after {@code join}. */
  private static final class Reader {
    final RemoteNull.Client client;
    final LatencyHistogram latencies = new LatencyHistogram();
    long reads;
    long errors;
    String firstError;
    long measuredNanos;

    Reader(RemoteNull.Client client) {
      this.client = client;
    }

    void run(CountDownLatch start, long warmUpNanos, long measureNanos) {
      try {
        start.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      long measureFrom = System.nanoTime() + warmUpNanos;
      long end = measureFrom + measureNanos;
      long now = System.nanoTime();
      while (now < end) {
        long before = now;
        boolean ok = readOnce();
        now = System.nanoTime();
        if (before >= measureFrom) {
          if (ok) {
            latencies.record(now - before);
            reads++;
          } else {
            errors++;
          }
        } else if (!ok) {
          errors++;
        }
        if (!ok && !client.remote().isConnected()) {
          break;
        }
      }
      measuredNanos = Math.max(0, Math.min(now, end) - measureFrom);
    }

    private boolean readOnce() {
      try {
        client.readNothing();
        return true;
      } catch (RuntimeException e) {
        if (firstError == null) {
          firstError = e.toString();
        }
        return false;
      }
    }
  }

  /** What all clients did in the measured time. */
  record Result(int clients, double seconds, long reads, long minReads, long maxReads, long errors,
      int idleClients, String firstError, LatencyHistogram latencies) {

    static Result of(List<Reader> readers, double seconds) {
      LatencyHistogram all = new LatencyHistogram();
      long reads = 0;
      long min = Long.MAX_VALUE;
      long max = 0;
      long errors = 0;
      int idle = 0;
      String firstError = null;
      for (Reader reader : readers) {
        all.add(reader.latencies);
        reads += reader.reads;
        min = Math.min(min, reader.reads);
        max = Math.max(max, reader.reads);
        errors += reader.errors;
        if (reader.reads == 0) {
          idle++;
        }
        if (firstError == null) {
          firstError = reader.firstError;
        }
      }
      return new Result(readers.size(), seconds, reads, min, max, errors, idle, firstError, all);
    }

    /** No errors, and every client read at least once in the measured time. */
    boolean passed() {
      return errors == 0 && idleClients == 0;
    }

    /** Reads per second, all clients together. */
    double throughput() {
      return reads / seconds;
    }

    String report() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "clients:     %d, each on its own thread and connection%n", clients));
      out.append(String.format(Locale.ROOT, "measured:    %.1f s%n", seconds));
      out.append(String.format(Locale.ROOT, "reads:       %d%n", reads));
      out.append(String.format(Locale.ROOT, "throughput:  %.0f reads/s%n", throughput()));
      out.append(String.format(Locale.ROOT, "latency:     p50 %.1f us, p99 %.1f us, p999 %.1f us, max %.1f us%n",
          latencies.percentile(50) / 1e3, latencies.percentile(99) / 1e3, latencies.percentile(99.9) / 1e3,
          latencies.max() / 1e3));
      out.append(String.format(Locale.ROOT, "per client:  min %d reads, max %d reads (max/min %.2f)%n",
          minReads, maxReads, minReads == 0 ? Double.POSITIVE_INFINITY : (double) maxReads / minReads));
      out.append(String.format(Locale.ROOT, "errors:      %d%s%n", errors, firstError == null ? "" : " (first: " + firstError + ")"));
      out.append(String.format(Locale.ROOT, "idle:        %d clients made no read%n", idleClients));
      out.append(String.format(Locale.ROOT, "result:      %s%n", passed() ? "PASSED" : "FAILED"));
      return out.toString();
    }
  }
}
