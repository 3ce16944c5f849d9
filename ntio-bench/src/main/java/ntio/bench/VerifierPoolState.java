package ntio.bench;

import java.io.IOException;
import ntio.ddk.DriverObject;
import ntio.ddk.KernelServices;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolTag;
import ntio.ddk.PoolType;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectManager.Referenced;
import ntio.kernel.verifier.VerifierSettings;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A kernel with Null loaded, verified ({@code /standard}, pool tracking included) or not, and the
 * kernel services of Null's image: what a driver calls ExAllocatePoolWithTag through. Booted once
 * per trial.
 */
@State(Scope.Thread)
public class VerifierPoolState {

  /** {@code off}: Null is not verified; {@code standard}: verified with 0x209BB. */
  @Param({"off", "standard"})
  public String verifier;

  static final int TAG = PoolTag.of("Bnch");

  BenchKernel bench;
  KernelServices services;

  /** Boots, sets the verifier, loads Null and finds its driver object; not timed. */
  @Setup(Level.Trial)
  public void load() throws IOException {
    bench = BenchKernel.boot(ImageReclaim.DEFAULT_THRESHOLD, booted -> {
      if (verifier.equals("standard")) {
        booted.kernel().io().verifier().setVolatileSettings(
            VerifierSettings.parse(DriverImage.NULL.fileName(), VerifierSettings.STANDARD_FLAGS));
      }
      BenchKernel.check("NtLoadDriver(Null)", booted.nt().ntLoadDriver(booted.tool(),
          booted.install("Null", DriverImage.NULL, DriverImage.NULL.fileName())));
      return booted;
    });
    Referenced<KernelObject> driver = bench.kernel().objects().referenceByName("\\Driver\\Null",
        bench.kernel().io().driverType());
    BenchKernel.check("ObReferenceObjectByName(\\Driver\\Null)", driver.status());
    services = ((DriverObject) driver.object()).services();
    driver.object().dereference();
    KernelServices.PoolResult probe = services.allocatePoolWithTag(PoolType.NON_PAGED, 64, TAG);
    BenchKernel.check("ExAllocatePoolWithTag", probe.status());
    services.freePoolWithTag(probe.block(), TAG);
    boolean verified = bench.kernel().io().verifier().query(DriverImage.NULL.fileName()).isPresent();
    if (verified != verifier.equals("standard")) {
      throw new IllegalStateException("Null.jar verified: " + verified + ", wanted " + verifier);
    }
  }

  /** Shuts the kernel down (the unload's leak scan is not what is measured). */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    bench.close();
  }

  /** One allocation and its free, checked. */
  NtStatus allocateAndFree() {
    KernelServices.PoolResult result = services.allocatePoolWithTag(PoolType.NON_PAGED, 64, TAG);
    services.freePoolWithTag(result.block(), TAG);
    return result.status();
  }
}
