package ntio.bench.scale;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import ntio.api.OpenResult;
import ntio.bench.BenchKernel;
import ntio.bench.DriverImage;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.process.KThread;
import ntio.kernel.security.Sid;

/**
 * Open handles: one client process opens {@code \Device\Null} N times and holds every handle;
 * then closes them all; then opens N again and is terminated, so that process rundown closes them.
 * Each repetition is a new client process on the same kernel, with Null loaded once.
 *
 * <p>Per repetition: a heap reading, N opens (timed), a heap reading — the difference over N is
 * the memory per handle, the handle table entry and the file object the open made — N closes
 * (timed), N opens (not timed), the termination (timed). The client is made and ended as the
 * daemon makes and ends a connection's process: {@code Kernel.createProcess} (through {@code
 * administratorSession}), and {@link ntio.kernel.process.ProcessManager#terminate}, which is what
 * {@code LocalNt.close()} calls when a connection goes: the rundown hooks, then every handle
 * closed. The handle values are kept in an
 * {@code int[]} allocated before the first reading, so the harness's own bookkeeping is not
 * counted.
 */
final class HandleCurve {

  static final String CURVE = "handles";
  static final String DEVICE = "\\Device\\Null";

  private final BenchKernel bench;
  private final Kernel kernel;
  private final SystemServices nt;
  private final ObjectAttributes device = ObjectAttributes.of(DEVICE);

  private HandleCurve(BenchKernel bench) throws IOException {
    this.bench = bench;
    this.kernel = bench.kernel();
    this.nt = bench.nt();
    BenchKernel.check("NtLoadDriver(Null)", nt.ntLoadDriver(bench.tool(),
        bench.install("Null", DriverImage.NULL, DriverImage.NULL.fileName())));
  }

  static List<ScalePoint> run(ScalePlan plan) throws IOException {
    try (BenchKernel bench = BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, b -> b)) {
      HandleCurve curve = new HandleCurve(bench);
      if (plan.warmUp()) {
        for (int i = 0; i < 3; i++) {
          curve.once(20_000, false);
        }
        plan.say("%s: warmed up", CURVE);
      }
      List<ScalePoint> points = new ArrayList<>();
      for (int size : plan.sizes()) {
        int reps = plan.repetitions();
        double[] open = new double[reps];
        double[] close = new double[reps];
        double[] rundown = new double[reps];
        double[] heap = new double[reps];
        for (int r = 0; r < reps; r++) {
          Sample s = curve.once(size, true);
          open[r] = s.openNanos / (double) size;
          close[r] = s.closeNanos / (double) size;
          rundown[r] = s.rundownNanos / (double) size;
          heap[r] = s.bytesPerHandle;
        }
        points.add(ScalePoint.of(ScaleMetric.HANDLES_OPEN, size, open));
        points.add(ScalePoint.of(ScaleMetric.HANDLES_CLOSE, size, close));
        points.add(ScalePoint.of(ScaleMetric.HANDLES_RUNDOWN, size, rundown));
        points.add(ScalePoint.of(ScaleMetric.HANDLES_HEAP, size, heap));
        plan.say("%s: N=%,d open %.2f us, close %.2f us, rundown %.2f us per handle, %.0f B per handle", CURVE, size,
            points.get(points.size() - 4).median() / 1e3, points.get(points.size() - 3).median() / 1e3,
            points.get(points.size() - 2).median() / 1e3, points.get(points.size() - 1).median());
      }
      return points;
    }
  }

  private record Sample(long openNanos, long closeNanos, long rundownNanos, double bytesPerHandle) {}

  /** One repetition at {@code size} handles, in a new client process. */
  private Sample once(int size, boolean probeHeap) {
    KThread client = kernel.administratorSession("handles", Sid.unixUser(1000));
    int[] values = new int[size];
    long before = probeHeap ? HeapProbe.read().heap() : 0;

    long t0 = System.nanoTime();
    openAll(client, values);
    long openNanos = System.nanoTime() - t0;

    double perHandle = probeHeap ? HeapProbe.perObject(before, HeapProbe.read().heap(), size) : 0;
    checkHandleCount(client, size);

    long t1 = System.nanoTime();
    for (int value : values) {
      NtStatus closed = nt.ntClose(client, new Handle(value));
      if (!NtStatus.STATUS_SUCCESS.equals(closed)) {
        throw new IllegalStateException("NtClose(" + value + ") returned " + closed);
      }
    }
    long closeNanos = System.nanoTime() - t1;
    checkHandleCount(client, 0);

    openAll(client, values);
    long t2 = System.nanoTime();
    NtStatus terminated = kernel.processes().terminate(client.process(), NtStatus.STATUS_SUCCESS);
    long rundownNanos = System.nanoTime() - t2;
    BenchKernel.check("terminating the client process", terminated);
    checkHandleCount(client, 0);
    return new Sample(openNanos, closeNanos, rundownNanos, perHandle);
  }

  private void openAll(KThread client, int[] values) {
    int access = AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE;
    for (int i = 0; i < values.length; i++) {
      OpenResult opened = nt.ntCreateFile(client, access, device, BenchKernel.SHARE_READ_WRITE, 0);
      if (!NtStatus.STATUS_SUCCESS.equals(opened.status())) {
        throw new IllegalStateException("NtCreateFile(" + DEVICE + ") number " + (i + 1) + " returned "
            + opened.status());
      }
      values[i] = opened.handle().value();
    }
  }

  private static void checkHandleCount(KThread client, int expected) {
    int count = client.process().handleTable().count();
    if (count != expected) {
      throw new IllegalStateException("the client holds " + count + " handles, not " + expected);
    }
  }
}
