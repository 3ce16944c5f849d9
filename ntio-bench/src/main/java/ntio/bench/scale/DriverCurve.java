package ntio.bench.scale;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ntio.bench.BenchKernel;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.process.KThread;

/**
 * Loaded drivers: N distinct services, {@code Scale0} to {@code Scale<N-1>}, each with its own copy
 * of the scale driver's image ({@code Scale<i>.jar}), loaded one after the other and all kept
 * loaded; then unloaded, the last loaded first. Each driver is trivial: one control device, named
 * after its service ({@link ScaleDriver}). The services of the largest size are installed once,
 * before anything is measured.
 *
 * <p>Per repetition: a heap and metaspace reading; N NtLoadDrivers (timed); a reading, whose
 * difference over N is what one loaded driver holds — its driver object, device object, image
 * (the bytes of its class files, kept to define classes from) and class loader on the heap, its
 * class in metaspace; N NtUnloadDrivers (timed).
 *
 * <p>The loader keeps the last {@value #BALLAST} images it checked (a cache that spares re-reading
 * an unchanged file), holding their bytes whether they are mapped or not. So that every measured
 * load reads its image afresh and the difference counts each image's bytes once, whatever N is,
 * {@value #BALLAST} ballast drivers ({@code Ballast0}...) stay loaded throughout and are unloaded
 * and loaded again before each first reading: the cache then holds only images that are mapped
 * anyway, and evicting them frees nothing.
 */
final class DriverCurve {

  static final String CURVE = "drivers";

  /** At least the loader's checked-image cache ({@code DriverLoader.CHECKED_IMAGE_CACHE_SIZE}). */
  static final int BALLAST = 64;

  private final Kernel kernel;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString[] serviceKeys;
  private final UnicodeString[] ballastKeys = new UnicodeString[BALLAST];

  private DriverCurve(BenchKernel bench, int services) throws IOException {
    this.kernel = bench.kernel();
    this.nt = bench.nt();
    this.tool = bench.tool();
    this.serviceKeys = new UnicodeString[services];
    for (int i = 0; i < services; i++) {
      serviceKeys[i] = install(bench, service(i));
    }
    for (int i = 0; i < BALLAST; i++) {
      ballastKeys[i] = install(bench, "Ballast" + i);
      BenchKernel.check("NtLoadDriver(Ballast" + i + ")", nt.ntLoadDriver(tool, ballastKeys[i]));
    }
  }

  private static UnicodeString install(BenchKernel bench, String service) throws IOException {
    ScaleImage.writeTo(bench.drivers().resolve(service + ".jar"));
    return bench.installService(service, service + ".jar", BenchKernel.DEMAND_START);
  }

  /** Unloads and loads the ballast again: the loader's image cache then holds only their images. */
  private void refillImageCache() {
    for (UnicodeString key : ballastKeys) {
      BenchKernel.check("NtUnloadDriver(ballast)", nt.ntUnloadDriver(tool, key));
      BenchKernel.check("NtLoadDriver(ballast)", nt.ntLoadDriver(tool, key));
    }
  }

  /** The {@code i}th service, from 0. */
  static String service(int i) {
    return "Scale" + i;
  }

  static List<ScalePoint> run(ScalePlan plan) throws IOException {
    try (BenchKernel bench = BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, b -> b)) {
      DriverCurve curve = new DriverCurve(bench, plan.largest());
      plan.say("%s: %,d services installed", CURVE, plan.largest());
      if (plan.warmUp()) {
        for (int i = 0; i < 3; i++) {
          curve.once(Math.min(200, plan.largest()), false);
        }
        plan.say("%s: warmed up", CURVE);
      }
      List<ScalePoint> points = new ArrayList<>();
      for (int size : plan.sizes()) {
        int reps = plan.repetitions();
        double[] load = new double[reps];
        double[] unload = new double[reps];
        double[] heap = new double[reps];
        double[] metaspace = new double[reps];
        for (int r = 0; r < reps; r++) {
          Sample s = curve.once(size, true);
          load[r] = s.loadNanos / (double) size;
          unload[r] = s.unloadNanos / (double) size;
          heap[r] = s.heapPerDriver;
          metaspace[r] = s.metaspacePerDriver;
        }
        ScalePoint l = ScalePoint.of(ScaleMetric.DRIVERS_LOAD, size, load);
        ScalePoint u = ScalePoint.of(ScaleMetric.DRIVERS_UNLOAD, size, unload);
        ScalePoint h = ScalePoint.of(ScaleMetric.DRIVERS_HEAP, size, heap);
        ScalePoint m = ScalePoint.of(ScaleMetric.DRIVERS_METASPACE, size, metaspace);
        points.addAll(List.of(l, u, h, m));
        plan.say("%s: N=%,d load %.1f us, unload %.1f us per driver, %.0f B heap and %.0f B metaspace per driver",
            CURVE, size, l.median() / 1e3, u.median() / 1e3, h.median(), m.median());
      }
      return points;
    }
  }

  private record Sample(long loadNanos, long unloadNanos, double heapPerDriver, double metaspacePerDriver) {}

  /** One repetition: load services 0 to {@code size - 1}, then unload them, last first. */
  private Sample once(int size, boolean probeMemory) {
    refillImageCache();
    HeapProbe.Reading before = probeMemory ? HeapProbe.read() : null;

    long t0 = System.nanoTime();
    for (int i = 0; i < size; i++) {
      BenchKernel.check("NtLoadDriver(" + service(i) + ")", nt.ntLoadDriver(tool, serviceKeys[i]));
    }
    long loadNanos = System.nanoTime() - t0;

    double heap = 0;
    double metaspace = 0;
    if (before != null) {
      HeapProbe.Reading after = HeapProbe.read();
      heap = HeapProbe.perObject(before.heap(), after.heap(), size);
      metaspace = HeapProbe.perObject(before.metaspace(), after.metaspace(), size);
    }
    int loaded = kernel.io().drivers().size();

    long t1 = System.nanoTime();
    for (int i = size - 1; i >= 0; i--) {
      BenchKernel.check("NtUnloadDriver(" + service(i) + ")", nt.ntUnloadDriver(tool, serviceKeys[i]));
    }
    long unloadNanos = System.nanoTime() - t1;
    if (loaded - kernel.io().drivers().size() != size) {
      throw new IllegalStateException(size + " drivers were loaded, but " + (loaded - kernel.io().drivers().size())
          + " went at their unload");
    }
    return new Sample(loadNanos, unloadNanos, heap, metaspace);
  }
}
