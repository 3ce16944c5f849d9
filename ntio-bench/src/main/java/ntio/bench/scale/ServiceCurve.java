package ntio.bench.scale;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ntio.api.StartDriverOutcome;
import ntio.bench.BenchKernel;
import ntio.bench.DriverImage;
import ntio.bench.StateDirectory;
import ntio.host.cli.Main;
import ntio.host.daemon.HostOptions;
import ntio.host.daemon.HostRuntime;
import ntio.kernel.Kernel;
import ntio.kernel.LocalNt;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.security.Sid;

/**
 * A registry with N service keys, and what it costs a host: starting on it, {@code ntio sc query}
 * of every service, and (with drivers running) stopping. Two variants:
 *
 * <ul>
 *   <li>{@code services}: N demand-start services ({@code Start} 3, {@code Svc0} to {@code
 *       Svc<N-1>}, all naming {@code Null.jar}); the host's start-driver pass reads every key and
 *       loads none.
 *   <li>{@code autostart}: N auto-start services ({@code Start} 2, {@code Auto0} to {@code
 *       Auto<N-1>}), each its own copy of the scale driver's image; the host loads all N at start
 *       and unloads them all, in reverse load order, at shutdown.
 * </ul>
 *
 * <p>A start is {@link HostRuntime#start} as {@code ntio host} makes it: the kernel booted on the
 * state directory (hive opened, namespace and System threads made), the start-driver pass ({@link
 * ntio.kernel.io.StartDrivers}), the socket listener; without the JVM shutdown hook. {@code sc
 * query} is the real command ({@link Main#run(ntio.api.NtApi, String[], PrintWriter,
 * PrintWriter)}) on an embedded {@link LocalNt} client, as {@code ntio --embedded sc query} runs
 * it once a kernel is up, with no socket in between: it enumerates the Services key and reads each
 * service's values through the system calls, and matches each with the loaded drivers. A stop is
 * {@link HostRuntime#shutdown()}.
 *
 * <p>Each repetition starts a host, queries {@value #QUERIES_PER_START} times and stops it. The keys are written between sizes by a
 * kernel that is shut down before anything is timed, and the sizes are measured smallest first on
 * one growing hive. The warm-up starts, queries and stops hosts on a hive of its own, thrown away
 * afterwards.
 *
 * <p>What each service adds is {@code (T(N) - T(N0)) / (N - N0)}, with {@code N0} the smallest
 * size (0 in the published plan): the fixed cost (opening the hive, starting threads, building the
 * command line) taken out, so that a flat figure means linear growth.
 */
final class ServiceCurve {

  static final String SERVICES = "services";
  static final String AUTOSTART = "autostart";

  /** {@code sc query} runs this many times on each host started: its fixed cost varies more than a start's. */
  static final int QUERIES_PER_START = 3;

  private final boolean autoStart;
  private final Path state;
  private int installed;

  private ServiceCurve(boolean autoStart, Path state) {
    this.autoStart = autoStart;
    this.state = state;
  }

  static List<ScalePoint> services(ScalePlan plan) throws IOException {
    return run(plan, false);
  }

  static List<ScalePoint> autoStart(ScalePlan plan) throws IOException {
    return run(plan, true);
  }

  private static List<ScalePoint> run(ScalePlan plan, boolean autoStart) throws IOException {
    String curveName = autoStart ? AUTOSTART : SERVICES;
    if (plan.warmUp()) {
      Path scratch = StateDirectory.create("ntio-scale-warm-");
      try {
        ServiceCurve warm = new ServiceCurve(autoStart, scratch);
        warm.growTo(Math.min(autoStart ? 50 : 200, plan.largest()));
        for (int i = 0; i < 5; i++) {
          warm.once();
        }
      } finally {
        StateDirectory.delete(scratch);
      }
      plan.say("%s: warmed up", curveName);
    }
    Path state = StateDirectory.create("ntio-scale-" + curveName + "-");
    try {
      ServiceCurve curve = new ServiceCurve(autoStart, state);
      List<Integer> sizes = plan.sizes();
      double[][] boot = new double[sizes.size()][];
      double[][] query = new double[sizes.size()][];
      double[][] shutdown = new double[sizes.size()][];
      List<ScalePoint> points = new ArrayList<>();
      for (int s = 0; s < sizes.size(); s++) {
        int size = sizes.get(s);
        curve.growTo(size);
        boot[s] = new double[plan.repetitions()];
        query[s] = new double[plan.repetitions() * QUERIES_PER_START];
        shutdown[s] = new double[plan.repetitions()];
        for (int r = 0; r < plan.repetitions(); r++) {
          Sample sample = curve.once();
          boot[s][r] = sample.bootNanos;
          for (int q = 0; q < QUERIES_PER_START; q++) {
            query[s][r * QUERIES_PER_START + q] = sample.queryNanos[q];
          }
          shutdown[s][r] = sample.shutdownNanos;
        }
        ScalePoint b = ScalePoint.of(autoStart ? ScaleMetric.AUTOSTART_BOOT : ScaleMetric.SERVICES_BOOT, size, boot[s]);
        ScalePoint q = ScalePoint.of(autoStart ? ScaleMetric.AUTOSTART_QUERY : ScaleMetric.SERVICES_QUERY, size, query[s]);
        points.add(b);
        points.add(q);
        if (autoStart) {
          ScalePoint d = ScalePoint.of(ScaleMetric.AUTOSTART_SHUTDOWN, size, shutdown[s]);
          points.add(d);
          plan.say("%s: N=%,d start %.1f ms, sc query %.1f ms, shutdown %.1f ms", curveName, size, b.median() / 1e6,
              q.median() / 1e6, d.median() / 1e6);
        } else {
          plan.say("%s: N=%,d start %.1f ms, sc query %.1f ms", curveName, size, b.median() / 1e6, q.median() / 1e6);
        }
      }
      if (autoStart) {
        points.addAll(perService(ScaleMetric.AUTOSTART_BOOT_PER_DRIVER, sizes, boot));
        points.addAll(perService(ScaleMetric.AUTOSTART_QUERY_PER_SERVICE, sizes, query));
        points.addAll(perService(ScaleMetric.AUTOSTART_SHUTDOWN_PER_DRIVER, sizes, shutdown));
      } else {
        points.addAll(perService(ScaleMetric.SERVICES_BOOT_PER_SERVICE, sizes, boot));
        points.addAll(perService(ScaleMetric.SERVICES_QUERY_PER_SERVICE, sizes, query));
      }
      return points;
    } finally {
      StateDirectory.delete(state);
    }
  }

  /**
   * What each service adds at each size past the smallest: every sample less the smallest size's
   * median, over the difference in size.
   */
  static List<ScalePoint> perService(ScaleMetric metric, List<Integer> sizes, double[][] totals) {
    List<ScalePoint> points = new ArrayList<>();
    double base = ScalePoint.of(metric, sizes.get(0), totals[0]).median();
    for (int s = 1; s < sizes.size(); s++) {
      double[] each = new double[totals[s].length];
      for (int r = 0; r < each.length; r++) {
        each[r] = (totals[s][r] - base) / (sizes.get(s) - sizes.get(0));
      }
      points.add(ScalePoint.of(metric, sizes.get(s), each));
    }
    return points;
  }

  /** Writes service keys until there are {@code size}, on a kernel shut down before returning. */
  private void growTo(int size) throws IOException {
    if (size <= installed) {
      return;
    }
    try (BenchKernel setup = BenchKernel.bootOn(state, ImageReclaim.DEFAULT_THRESHOLD)) {
      if (!autoStart && installed == 0) {
        DriverImage.NULL.writeTo(setup.drivers().resolve(DriverImage.NULL.fileName()));
      }
      for (int i = installed; i < size; i++) {
        if (autoStart) {
          ScaleImage.writeTo(setup.drivers().resolve(service(i) + ".jar"));
          setup.installService(service(i), service(i) + ".jar", BenchKernel.AUTO_START);
        } else {
          setup.installService(service(i), DriverImage.NULL.fileName(), BenchKernel.DEMAND_START);
        }
      }
    }
    installed = size;
  }

  private String service(int i) {
    return (autoStart ? "Auto" : "Svc") + i;
  }

  private record Sample(long bootNanos, long[] queryNanos, long shutdownNanos) {}

  /** Starts a host, checks what it started, queries, and stops it. */
  private Sample once() {
    long t0 = System.nanoTime();
    HostRuntime host = HostRuntime.start(HostOptions.of(state).withShutdownHook(false));
    long bootNanos = System.nanoTime() - t0;
    long[] queryNanos = new long[QUERIES_PER_START];
    try {
      List<StartDriverOutcome> started = host.startDrivers();
      long loaded = started.stream().filter(StartDriverOutcome::loaded).count();
      if (loaded != (autoStart ? installed : 0) || started.size() != loaded) {
        throw new IllegalStateException("the host started " + started.size() + " services and loaded " + loaded
            + ", with " + installed + (autoStart ? " auto-start" : " demand-start") + " services installed: " + started);
      }
      for (int q = 0; q < QUERIES_PER_START; q++) {
        queryNanos[q] = query(host.kernel());
      }
    } catch (RuntimeException e) {
      host.shutdown();
      throw e;
    }
    long t1 = System.nanoTime();
    HostRuntime.ShutdownReport report = host.shutdown();
    long shutdownNanos = System.nanoTime() - t1;
    long unloaded = report.unloads().stream().filter(u -> u.status().isSuccess() && !u.deferred()).count();
    if (unloaded != (autoStart ? installed : 0) || !report.stuckThreads().isEmpty()) {
      throw new IllegalStateException("the host's shutdown unloaded " + unloaded + " of " + installed
          + " drivers; stuck threads: " + report.stuckThreads());
    }
    return new Sample(bootNanos, queryNanos, shutdownNanos);
  }

  /** Times {@code ntio sc query} on a new client and checks it listed every service. */
  private long query(Kernel kernel) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out);
    PrintWriter errWriter = new PrintWriter(err);
    long t0 = System.nanoTime();
    LocalNt client = new LocalNt(kernel, kernel.administratorSession("ntio", Sid.unixUser(1000)));
    int exit = Main.run(client, new String[] {"sc", "query"}, outWriter, errWriter);
    long nanos = System.nanoTime() - t0;
    if (exit != 0) {
      throw new IllegalStateException("ntio sc query exited with " + exit + ": " + err);
    }
    long listed = out.toString().lines().filter(line -> line.startsWith("SERVICE_NAME: ")).count();
    if (listed != installed) {
      throw new IllegalStateException("ntio sc query listed " + listed + " services, not " + installed);
    }
    return nanos;
  }
}
