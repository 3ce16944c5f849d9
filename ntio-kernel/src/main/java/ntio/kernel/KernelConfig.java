package ntio.kernel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import ntio.kernel.executive.CrashHandler;

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
 */
public record KernelConfig(
    Path stateDirectory,
    CrashHandler crashHandler,
    long processPagedQuota,
    long processNonPagedQuota,
    Duration shutdownTimeout) {

  /** Default per-process quotas: 64 MiB paged, 16 MiB non-paged. */
  public static final long DEFAULT_PAGED_QUOTA = 64L << 20;

  /** Default per-process non-paged quota. */
  public static final long DEFAULT_NON_PAGED_QUOTA = 16L << 20;

  public KernelConfig {
    Objects.requireNonNull(stateDirectory, "stateDirectory");
    Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    if (processPagedQuota < 0 || processNonPagedQuota < 0) {
      throw new IllegalArgumentException("negative quota: paged " + processPagedQuota
          + ", non-paged " + processNonPagedQuota);
    }
  }

  /** The defaults for a state directory. */
  public static KernelConfig of(Path stateDirectory) {
    return new KernelConfig(stateDirectory, null, DEFAULT_PAGED_QUOTA, DEFAULT_NON_PAGED_QUOTA,
        Duration.ofSeconds(10));
  }

  /** The same configuration with another crash handler. */
  public KernelConfig withCrashHandler(CrashHandler handler) {
    return new KernelConfig(stateDirectory, handler, processPagedQuota, processNonPagedQuota, shutdownTimeout);
  }

  /** The same configuration with other client-process quotas. */
  public KernelConfig withProcessQuota(long paged, long nonPaged) {
    return new KernelConfig(stateDirectory, crashHandler, paged, nonPaged, shutdownTimeout);
  }
}
