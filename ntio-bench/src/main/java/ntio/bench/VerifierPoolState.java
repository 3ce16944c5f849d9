package ntio.bench;

import java.io.IOException;
import java.util.function.IntSupplier;
import ntio.api.VerifierSettings;
import ntio.bench.images.ImageJars;
import ntio.bench.images.PoolDriver;
import ntio.ddk.DeviceObject;
import ntio.ddk.NtStatus;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel with PoolBench.jar ({@link PoolDriver}) loaded, verified ({@code /standard}, pool
 * tracking included) or not, and the image's own allocating routine, reached through its device's
 * extension: the allocation is made by the image's code, as a driver's is. Booted once per trial.
 */
@State(Scope.Thread)
public class VerifierPoolState {

  /** {@code off}: the image is not verified; {@code standard}: verified with 0x209BB. */
  @Param({"off", "standard"})
  public String verifier;

  static final String IMAGE = "PoolBench.jar";

  BenchKernel bench;
  IntSupplier allocateAndFree;

  @Setup(Level.Trial)
  public void load() throws IOException {
    bench = BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, booted -> {
      if (verifier.equals("standard")) {
        booted.kernel().io().verifier().setVolatileSettings(
            VerifierSettings.parse(IMAGE, VerifierSettings.STANDARD_FLAGS));
      }
      ImageJars.write(booted.drivers().resolve(IMAGE), PoolDriver.class);
      BenchKernel.check("NtLoadDriver(PoolBench)",
          booted.nt().ntLoadDriver(booted.tool(), booted.installService("PoolBench", IMAGE, BenchKernel.DEMAND_START)));
      return booted;
    });
    Referenced<KernelObject> device = bench.kernel().objects().referenceByName(
        PoolDriver.DEVICE_NAME, bench.kernel().io().deviceType());
    BenchKernel.check("ObReferenceObjectByName(" + PoolDriver.DEVICE_NAME + ")", device.status());
    try {
      allocateAndFree = ((DeviceObject) device.object()).deviceExtension(IntSupplier.class);
    } finally {
      device.object().dereference();
    }
    if (allocateAndFree.getClass().getClassLoader() == PoolDriver.class.getClassLoader()) {
      throw new IllegalStateException("the extension came from the class path, not from " + IMAGE);
    }
    BenchKernel.check("ExAllocatePoolWithTag", NtStatus.of(allocateAndFree()));
    boolean verified = bench.kernel().io().verifier().query(IMAGE).isPresent();
    if (verified != verifier.equals("standard")) {
      throw new IllegalStateException(IMAGE + " verified: " + verified + ", wanted " + verifier);
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    bench.close();
  }

  /** One allocation and its free by the image; the allocation's NTSTATUS code. */
  int allocateAndFree() {
    return allocateAndFree.getAsInt();
  }
}
