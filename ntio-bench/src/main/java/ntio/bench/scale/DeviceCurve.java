package ntio.bench.scale;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import ntio.api.IoResult;
import ntio.api.OpenResult;
import ntio.bench.BenchKernel;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.Kernel;
import ntio.kernel.SystemServices;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.process.KThread;

/**
 * Device objects under one driver: the scale driver ({@link ScaleDriver}, loaded through the real
 * loader from its own image) creates N named devices in {@code \Device} from its IOCTL; then the
 * namespace is searched for them by name, and the driver is unloaded, its DriverUnload deleting
 * every device.
 *
 * <p>Per repetition, on one kernel: load the driver and open its control device (not timed); a heap
 * reading; the creates, {@value #BATCH} per IOCTL (timed); a heap reading, whose difference over N
 * is the memory per device object (the driver asks for no device extension); {@value
 * #OPENS} opens by name of devices picked at random among the N, each closed at once (timed);
 * {@value #LOOKUPS} object manager lookups by name, each dereferenced at once (timed); close the
 * control device; NtUnloadDriver (timed). The names looked up are made before the first heap
 * reading.
 */
final class DeviceCurve {

  static final String CURVE = "devices";
  static final String SERVICE = "ScaleDevices";
  static final String CONTROL = "\\Device\\" + SERVICE;

  /** Devices created per IOCTL. */
  static final int BATCH = 1000;

  /** Opens by name per repetition, whatever N is. */
  static final int OPENS = 20_000;

  /** Object manager lookups per repetition, whatever N is. */
  static final int LOOKUPS = 100_000;

  private final Kernel kernel;
  private final SystemServices nt;
  private final KThread tool;
  private final UnicodeString serviceKey;
  private final int opens;
  private final int lookups;

  private DeviceCurve(BenchKernel bench, int opens, int lookups) throws IOException {
    this.kernel = bench.kernel();
    this.nt = bench.nt();
    this.tool = bench.tool();
    ScaleImage.writeTo(bench.drivers().resolve(SERVICE + ".jar"));
    this.serviceKey = bench.installService(SERVICE, SERVICE + ".jar", BenchKernel.DEMAND_START);
    this.opens = opens;
    this.lookups = lookups;
  }

  static List<ScalePoint> run(ScalePlan plan) throws IOException {
    // A tiny plan (a smoke test) looks up less, in proportion.
    int opens = Math.min(OPENS, Math.max(100, plan.largest() * 2));
    int lookups = Math.min(LOOKUPS, Math.max(100, plan.largest() * 10));
    try (BenchKernel bench = BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, b -> b)) {
      DeviceCurve curve = new DeviceCurve(bench, opens, lookups);
      if (plan.warmUp()) {
        for (int i = 0; i < 3; i++) {
          curve.once(10_000, false);
        }
        plan.say("%s: warmed up", CURVE);
      }
      List<ScalePoint> points = new ArrayList<>();
      for (int size : plan.sizes()) {
        int reps = plan.repetitions();
        double[] create = new double[reps];
        double[] open = new double[reps];
        double[] lookup = new double[reps];
        double[] unload = new double[reps];
        double[] heap = new double[reps];
        for (int r = 0; r < reps; r++) {
          Sample s = curve.once(size, true);
          create[r] = s.createNanos / (double) size;
          open[r] = s.openNanos / (double) opens;
          lookup[r] = s.lookupNanos / (double) lookups;
          unload[r] = s.unloadNanos / (double) size;
          heap[r] = s.bytesPerDevice;
        }
        ScalePoint c = ScalePoint.of(ScaleMetric.DEVICES_CREATE, size, create);
        ScalePoint o = ScalePoint.of(ScaleMetric.DEVICES_OPEN_BY_NAME, size, open);
        ScalePoint l = ScalePoint.of(ScaleMetric.DEVICES_OB_LOOKUP, size, lookup);
        ScalePoint u = ScalePoint.of(ScaleMetric.DEVICES_UNLOAD, size, unload);
        ScalePoint h = ScalePoint.of(ScaleMetric.DEVICES_HEAP, size, heap);
        points.addAll(List.of(c, o, l, u, h));
        plan.say("%s: N=%,d create %.2f us, open by name %.2f us, ob lookup %.3f us, unload %.2f us per device,"
            + " %.0f B per device", CURVE, size, c.median() / 1e3, o.median() / 1e3, l.median() / 1e3,
            u.median() / 1e3, h.median());
      }
      return points;
    }
  }

  private record Sample(long createNanos, long openNanos, long lookupNanos, long unloadNanos,
      double bytesPerDevice) {}

  /** One repetition: load, create {@code size} devices, look them up, unload. */
  private Sample once(int size, boolean probeHeap) {
    BenchKernel.check("NtLoadDriver(" + SERVICE + ")", nt.ntLoadDriver(tool, serviceKey));
    Handle control = open(ObjectAttributes.of(CONTROL));
    SplittableRandom random = new SplittableRandom(size);
    ObjectAttributes[] openNames = new ObjectAttributes[opens];
    for (int i = 0; i < opens; i++) {
      openNames[i] = ObjectAttributes.of(deviceName(random.nextInt(size)));
    }
    String[] lookupNames = new String[lookups];
    for (int i = 0; i < lookups; i++) {
      lookupNames[i] = deviceName(random.nextInt(size));
    }
    byte[][] batches = batches(size);
    long before = probeHeap ? HeapProbe.read().heap() : 0;

    long t0 = System.nanoTime();
    for (byte[] batch : batches) {
      IoResult created = nt.ntDeviceIoControlFile(tool, control, ScaleDriver.IOCTL_CREATE_DEVICES, batch, 0);
      BenchKernel.check("IOCTL_CREATE_DEVICES", created.status());
    }
    long createNanos = System.nanoTime() - t0;

    double perDevice = probeHeap ? HeapProbe.perObject(before, HeapProbe.read().heap(), size) : 0;

    long t1 = System.nanoTime();
    for (ObjectAttributes name : openNames) {
      BenchKernel.check("NtClose", nt.ntClose(tool, open(name)));
    }
    long openNanos = System.nanoTime() - t1;

    long t2 = System.nanoTime();
    for (String name : lookupNames) {
      Referenced<KernelObject> found = kernel.objects().referenceByName(name, kernel.io().deviceType());
      if (!found.isSuccess()) {
        throw new IllegalStateException("looking up " + name + ": " + found.status());
      }
      found.object().dereference();
    }
    long lookupNanos = System.nanoTime() - t2;

    BenchKernel.check("NtClose(" + CONTROL + ")", nt.ntClose(tool, control));
    long t3 = System.nanoTime();
    BenchKernel.check("NtUnloadDriver(" + SERVICE + ")", nt.ntUnloadDriver(tool, serviceKey));
    long unloadNanos = System.nanoTime() - t3;
    if (kernel.io().drivers().stream().anyMatch(d -> d.service().equals(SERVICE))) {
      throw new IllegalStateException(SERVICE + " is still loaded after its unload returned");
    }
    return new Sample(createNanos, openNanos, lookupNanos, unloadNanos, perDevice);
  }

  private Handle open(ObjectAttributes name) {
    OpenResult opened = nt.ntCreateFile(tool, AccessMask.GENERIC_READ | AccessMask.GENERIC_WRITE, name,
        BenchKernel.SHARE_READ_WRITE, 0);
    if (!NtStatus.STATUS_SUCCESS.equals(opened.status())) {
      throw new IllegalStateException("NtCreateFile(" + name.objectName().text() + ") returned " + opened.status());
    }
    return opened.handle();
  }

  /** The name the scale driver gives device {@code number}. */
  static String deviceName(int number) {
    return CONTROL + "_" + number;
  }

  /** The IOCTL inputs that create devices 0 to {@code size - 1}, {@link #BATCH} at a time. */
  private static byte[][] batches(int size) {
    int count = (size + BATCH - 1) / BATCH;
    byte[][] batches = new byte[count][];
    for (int b = 0; b < count; b++) {
      int first = b * BATCH;
      batches[b] = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(first).putInt(Math.min(BATCH, size - first)).array();
    }
    return batches;
  }
}
