package ntio.kernel.verifier;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import ntio.ddk.AccessMask;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.PoolTag;
import ntio.ddk.RegType;
import ntio.ddk.UnicodeString;
import ntio.kernel.executive.BugCheck;
import ntio.kernel.executive.BugChecks;
import ntio.kernel.executive.Pool;
import ntio.kernel.executive.PoolAllocation;
import ntio.kernel.executive.PoolOwner;
import ntio.kernel.objects.ObjectManager;
import ntio.kernel.objects.ObjectManager.OpenResult;
import ntio.kernel.process.KThread;
import ntio.kernel.registry.Registry;
import ntio.kernel.registry.ValueResult;

/**
 * The kernel's Driver Verifier: decides at each load whether the image is verified (DV1), and at
 * each image unmap scans what the image left behind (DV4). Models the verifier's per-driver
 * enabling and its unload checks (partial: pool tracking and the pool-leak check so far).
 *
 * <p>Thread-safe.
 */
public final class Verifier {

  /** Where DV1's values live. */
  public static final String MEMORY_MANAGEMENT =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session Manager\\Memory Management";

  /** 0xC4's first parameter for pool not freed when the image is unloaded (DV4). */
  public static final int POOL_LEAK_AT_UNLOAD = 0x62;

  private final Registry registry;
  private final ObjectManager objects;
  private final KThread system;
  private final Pool pool;
  private final BugChecks bugChecks;
  private volatile VerifierSettings volatileSettings;

  /**
   * @param system the thread registry reads are made as: the System process, kernel mode
   */
  public Verifier(Registry registry, ObjectManager objects, KThread system, Pool pool,
      BugChecks bugChecks) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.objects = Objects.requireNonNull(objects, "objects");
    this.system = Objects.requireNonNull(system, "system");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.bugChecks = Objects.requireNonNull(bugChecks, "bugChecks");
  }

  /**
   * Settings that apply at once and are not persisted, over the registry's: {@code verifier
   * /volatile}. Null goes back to the registry's.
   */
  public void setVolatileSettings(VerifierSettings settings) {
    this.volatileSettings = settings;
  }

  /** The settings a load made now would use: the volatile ones, else the registry's. */
  public VerifierSettings settings() {
    VerifierSettings overlay = volatileSettings;
    return overlay != null ? overlay : registrySettings();
  }

  /** Whether the image about to load is verified, and how: read at each load (DV1). */
  public Optional<VerifiedImage> atLoad(String imageName) {
    VerifierSettings settings = settings();
    return settings.verifies(imageName)
        ? Optional.of(new VerifiedImage(imageName, settings.flags()))
        : Optional.empty();
  }

  /**
   * The unload scan, run when a verified image is unmapped — after DriverUnload, or after a
   * failed DriverEntry (DV4). With pool tracking, any allocation the image has not freed is bug
   * check 0xC4 with P1 {@link #POOL_LEAK_AT_UNLOAD}, P4 the count, naming the image and listing
   * each allocation (tag, size, the driver's allocation site).
   */
  public void unloadScan(VerifiedImage image, PoolOwner owner) {
    if (!image.tracksPool()) {
      return;
    }
    List<PoolAllocation> leaked = pool.liveAllocations(owner);
    if (leaked.isEmpty()) {
      return;
    }
    StringBuilder report = new StringBuilder(image.imageName())
        .append(" is unloading without freeing ").append(leaked.size())
        .append(leaked.size() == 1 ? " pool allocation:" : " pool allocations:");
    for (PoolAllocation allocation : leaked) {
      report.append("\n  tag ").append(PoolTag.describe(allocation.tag()))
          .append(", ").append(allocation.size()).append(" bytes ")
          .append(allocation.type()).append(", at 0x")
          .append(Long.toHexString(allocation.address()).toUpperCase(java.util.Locale.ROOT))
          .append(", allocated at ").append(siteOf(allocation));
    }
    throw bugChecks.raise(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, POOL_LEAK_AT_UNLOAD, 0, 0,
        leaked.size(), image.imageName(), report.toString());
  }

  /**
   * The driver's own frame that made the allocation: the first frame below the kernel's and the
   * JDK's in the stack pool tracking recorded.
   */
  static String siteOf(PoolAllocation allocation) {
    return allocation.allocationStack()
        .flatMap(stack -> stack.lines()
            .map(String::strip)
            .filter(line -> line.startsWith("at "))
            .map(line -> line.substring(3))
            .filter(frame -> !frame.startsWith("ntio.kernel.") && !frame.startsWith("java.")
                && !frame.startsWith("jdk.") && !frame.startsWith("ntio.ddk."))
            .findFirst())
        .orElse("(not recorded)");
  }

  private VerifierSettings registrySettings() {
    OpenResult key = registry.ntOpenKey(system, AccessMask.KEY_READ,
        ObjectAttributes.of(MEMORY_MANAGEMENT));
    if (!key.status().isSuccess()) {
      return VerifierSettings.NONE;
    }
    try {
      ValueResult drivers = registry.ntQueryValueKey(system, key.handle(),
          UnicodeString.of("VerifyDrivers"));
      ValueResult level = registry.ntQueryValueKey(system, key.handle(),
          UnicodeString.of("VerifyDriverLevel"));
      String names = drivers.status().isSuccess()
          && (drivers.value().type() == RegType.REG_SZ || drivers.value().type() == RegType.REG_EXPAND_SZ)
          ? drivers.value().stringValue().orElse(null) : null;
      Integer flags = level.status().isSuccess() ? level.value().dwordValue().stream().boxed()
          .findFirst().orElse(null) : null;
      return VerifierSettings.parse(names, flags);
    } finally {
      NtStatus closed = objects.close(key.handle(), system);
      assert closed.isSuccess() : closed;
    }
  }
}
