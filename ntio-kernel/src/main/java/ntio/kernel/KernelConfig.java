package ntio.kernel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import ntio.kernel.loader.ImagePolicy;
import ntio.kernel.loader.ImageReclaim;
import ntio.kernel.executive.CrashHandler;
import ntio.hostfs.FileTrust;

/**
 * How to boot a kernel.
 *
 * @param stateDirectory where the kernel keeps what outlives it: the registry hive, the
 *     {@code SystemRoot} folder for driver images, crash reports. Created if missing.
 * @param crashHandler who hears of a bug check; null for the default, which writes a crash report
 *     into the state directory and halts this kernel
 * @param processPagedQuota the paged-pool quota of each client process, in bytes
 * @param processNonPagedQuota the non-paged-pool quota of each client process, in bytes
 * @param shutdownTimeout how long {@link Kernel#shutdown()} waits for the System worker threads
 * @param extraImageDirectories directories besides {@code SystemRoot\System32\drivers} that
 *     driver images may be loaded from
 * @param anyImagePath whether an image may be loaded from any path at all
 * @param imageReclaimThreshold how many unmapped driver images may wait for the JVM to unload
 *     their classes before the kernel asks it to ({@link ImageReclaim}); 0 never asks
 * @param clock the kernel's wall clock: the boot instant and what the Driver Verifier's start-up
 *     delay is measured against (DV6). The system clock by default; tests give a simulated one
 * @param driverCallTimeout how long a DriverEntry or DriverUnload may run before it is logged at
 *     WARNING with its stack (10 s by default); the call is not stopped
 * @param deniedMembersEnforced whether images that refer to a denied JDK member are refused (the
 *     image policy's deny list; true by default). Off only for tests of what the policy prevents,
 *     such as the verifier's probe for a shutdown hook left by an image, as Windows' {@code
 *     nointegritychecks} boot option turns code integrity off; the host never turns it off
 * @param imageOwnership whose driver images the loader trusts ({@link
 *     ImagePolicy#requiringOwnership}): an image, and every directory above it, that another user
 *     could have written is {@code STATUS_DRIVER_BLOCKED}. Null (the default) checks no ownership,
 *     for an embedded kernel an ordinary user runs on their own files; {@code ntio host} sets it
 * @param processors how many processors the kernel has: each is a System worker thread with its
 *     own DPC queue ({@link ntio.kernel.ke.Processors}). At least 1; {@link #defaultProcessors()}
 *     by default
 */
public record KernelConfig(
    Path stateDirectory,
    CrashHandler crashHandler,
    long processPagedQuota,
    long processNonPagedQuota,
    Duration shutdownTimeout,
    List<Path> extraImageDirectories,
    boolean anyImagePath,
    int imageReclaimThreshold,
    InstantSource clock,
    Duration driverCallTimeout,
    boolean deniedMembersEnforced,
    FileTrust imageOwnership,
    int processors) {

  /** Default per-process quotas: 64 MiB paged, 16 MiB non-paged. */
  public static final long DEFAULT_PAGED_QUOTA = 64L << 20;

  /** How long DriverEntry or DriverUnload may run before it is logged, by default. */
  public static final Duration DEFAULT_DRIVER_CALL_TIMEOUT = Duration.ofSeconds(10);

  /** Default per-process non-paged quota. */
  public static final long DEFAULT_NON_PAGED_QUOTA = 16L << 20;

  public KernelConfig {
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(driverCallTimeout, "driverCallTimeout");
    if (driverCallTimeout.isNegative() || driverCallTimeout.isZero()) {
      throw new IllegalArgumentException("the driver call timeout must be positive: "
          + driverCallTimeout);
    }
    extraImageDirectories = List.copyOf(extraImageDirectories);
    if (imageReclaimThreshold < 0) {
      throw new IllegalArgumentException("negative image reclaim threshold: " + imageReclaimThreshold);
    }
    if (processors < 1) {
      throw new IllegalArgumentException("a kernel needs at least one processor: " + processors);
    }
    if (processPagedQuota < 0 || processNonPagedQuota < 0) {
      throw new IllegalArgumentException("negative quota: paged " + processPagedQuota
          + ", non-paged " + processNonPagedQuota);
    }
  }

  /** The defaults for a state directory. */
  public static KernelConfig of(Path stateDirectory) {
    return new KernelConfig(stateDirectory, null, DEFAULT_PAGED_QUOTA, DEFAULT_NON_PAGED_QUOTA,
        Duration.ofSeconds(10), List.of(), false, ImageReclaim.DEFAULT_THRESHOLD, InstantSource.system(),
        DEFAULT_DRIVER_CALL_TIMEOUT, true, null, defaultProcessors());
  }

  /** The same configuration with another crash handler. */
  public KernelConfig withCrashHandler(CrashHandler handler) {
    return new KernelConfig(stateDirectory, handler, processPagedQuota, processNonPagedQuota, shutdownTimeout,
        extraImageDirectories, anyImagePath, imageReclaimThreshold, clock, driverCallTimeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /** The same configuration with other client-process quotas. */
  public KernelConfig withProcessQuota(long paged, long nonPaged) {
    return new KernelConfig(stateDirectory, crashHandler, paged, nonPaged, shutdownTimeout,
        extraImageDirectories, anyImagePath, imageReclaimThreshold, clock, driverCallTimeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /**
   * The same configuration with another driver call timeout: how long a DriverEntry or
   * DriverUnload may run before it is logged at WARNING with its stack.
   */
  public KernelConfig withDriverCallTimeout(Duration timeout) {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, anyImagePath, imageReclaimThreshold, clock, timeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /**
   * The same configuration with the image policy's deny list not enforced: an image that refers
   * to {@code System.exit} or a shutdown hook loads. For tests of what the policy otherwise
   * prevents (the verifier's probes); never for a host.
   */
  public KernelConfig withDeniedMembersUnenforced() {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, anyImagePath, imageReclaimThreshold, clock,
        driverCallTimeout, false, imageOwnership, processors);
  }

  /** The same configuration allowing images from these directories too. */
  public KernelConfig withImageDirectories(List<Path> directories) {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, directories, anyImagePath, imageReclaimThreshold, clock, driverCallTimeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /** The same configuration allowing images from any path (for development and tests). */
  public KernelConfig withAnyImagePath() {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, true, imageReclaimThreshold, clock, driverCallTimeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /**
   * The same configuration with another image reclaim threshold: how many unmapped driver images
   * may wait for the JVM to unload their classes before the kernel asks it to (with {@code
   * System.gc()}, on a System worker). 0 never asks; see {@link ImageReclaim} for why it matters.
   */
  public KernelConfig withImageReclaimThreshold(int threshold) {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, anyImagePath, threshold, clock, driverCallTimeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /**
   * The same configuration with another wall clock: the kernel reads its boot instant from it,
   * and the verifier's randomized low resources simulation (DV6) measures its start-up delay
   * against it. A test passes a simulated clock it advances itself.
   */
  public KernelConfig withClock(InstantSource clock) {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, anyImagePath, imageReclaimThreshold, clock, driverCallTimeout, deniedMembersEnforced, imageOwnership, processors);
  }

  /**
   * The same configuration refusing driver images that {@code trust} does not trust (see {@link
   * #imageOwnership()}); {@code null} checks no ownership.
   */
  public KernelConfig withImageOwnership(FileTrust trust) {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, anyImagePath, imageReclaimThreshold, clock, driverCallTimeout,
        deniedMembersEnforced, trust, processors);
  }

  /** The default processor count: the machine's, up to 4. */
  public static int defaultProcessors() {
    return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), 4));
  }

  /** The same configuration with {@code count} processors (each a DPC queue and its worker). */
  public KernelConfig withProcessors(int count) {
    return new KernelConfig(stateDirectory, crashHandler, processPagedQuota, processNonPagedQuota,
        shutdownTimeout, extraImageDirectories, anyImagePath, imageReclaimThreshold, clock, driverCallTimeout,
        deniedMembersEnforced, imageOwnership, count);
  }

  /** The loader's policy: where images may come from, and whose they must be. */
  ImagePolicy imagePolicy(Path systemRoot) {
    ImagePolicy where = anyImagePath ? ImagePolicy.anyPath() : ImagePolicy.allowing(systemRoot, extraImageDirectories);
    return imageOwnership == null ? where : where.requiringOwnership(imageOwnership);
  }
}
