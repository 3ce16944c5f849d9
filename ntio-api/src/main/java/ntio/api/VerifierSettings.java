package ntio.api;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which driver images the verifier watches and with which checks. Models the {@code
 * VerifyDrivers} and {@code VerifyDriverLevel} values of {@code ...\Session Manager\Memory
 * Management} (DV1), the flag bits of DV3 (partial: the bits ntio checks are {@link
 * #IRQL_CHECKING}, {@link #POOL_TRACKING}, {@link #IO_VERIFICATION}, {@link
 * #MISCELLANEOUS_CHECKS}, {@link #LOW_RESOURCES_SIMULATION} and {@link #SYSTEMATIC_LOW_RESOURCES};
 * the others are kept and reported) and the {@code /faults} parameters (DV6), which ntio reads from
 * values of its own beside them ({@link #FAULT_PROBABILITY_VALUE} and the three after it).
 *
 * @param images image names as {@code VerifyDrivers} lists them, upper-cased; ignored when
 *     {@code allImages}
 * @param allImages {@code VerifyDrivers} is {@code *}
 * @param flags the {@code VerifyDriverLevel} mask
 * @param faults the randomized low resources simulation's parameters, used when {@code flags}
 *     has {@link #LOW_RESOURCES_SIMULATION}
 */
public record VerifierSettings(Set<String> images, boolean allImages, int flags,
    FaultSettings faults) {

  /** {@code /standard}: 0x209BB (DV3). */
  public static final int STANDARD_FLAGS = 0x209BB;

  /**
   * Bit 1, 0x2: Force IRQL checking (DV3, DV9), in {@code /standard}. NT makes pageable memory
   * invalid whenever IRQL is raised, so that pageable data or code touched at DISPATCH_LEVEL
   * faults every time instead of only when its page happens to be out; ntio raises that fault's
   * bug check at each such touch, and a wait that could block at DISPATCH_LEVEL is a bug check
   * even when the object is already signalled.
   * With it, the verifier's own IRQL subcodes of 0xC4 (0x30-0x42) replace the kernel's bug checks.
   */
  public static final int IRQL_CHECKING = 0x2;

  /** Bit 3, 0x8: pool tracking, with the leak check at unload (DV4). */
  public static final int POOL_TRACKING = 0x8;

  /** I/O verification: among its checks, a cancelled IRP its driver never completes. */
  public static final int IO_VERIFICATION = 0x10;

  /** Miscellaneous Checks: among them, at unload, an ETW provider left registered (DV8). */
  public static final int MISCELLANEOUS_CHECKS = 0x800;

  /** Bit 2, 0x4: randomized low resources simulation, {@code /faults} (DV6). */
  public static final int LOW_RESOURCES_SIMULATION = 0x4;

  /** Bit 18, 0x40000: systematic low resources simulation, {@code /faultssystematic} (DV7). */
  public static final int SYSTEMATIC_LOW_RESOURCES = 0x40000;

  /** ntio's REG_DWORD for {@code /faults}' Probability, out of 10,000 (DV6). */
  public static final String FAULT_PROBABILITY_VALUE = "VerifyFaultProbability";

  /** ntio's REG_SZ for {@code /faults}' PoolTags: space-separated, {@code *} wildcards (DV6). */
  public static final String FAULT_TAGS_VALUE = "VerifyFaultTags";

  /** ntio's REG_DWORD for {@code /faults}' DelayMins: minutes after boot (DV6). */
  public static final String FAULT_DELAY_VALUE = "VerifyFaultDelayMinutes";

  /** ntio's REG_DWORD or REG_QWORD: the seed of the simulation's pseudo-random sequence (DV6). */
  public static final String FAULT_SEED_VALUE = "VerifyFaultSeed";

  /**
   * The registry key Driver Verifier's settings live under ({@code VerifyDrivers}, {@code
   * VerifyDriverLevel} and the {@code /faults} values), as a client spells it.
   */
  public static final String REGISTRY_KEY =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Control\\Session Manager\\Memory Management";

  /** No image is verified. */
  public static final VerifierSettings NONE = new VerifierSettings(Set.of(), false, 0);

  /** Checks and normalizes: names upper-cased, faults required. */
  public VerifierSettings {
    java.util.Objects.requireNonNull(faults, "faults");
    images = images.stream().map(name -> name.toUpperCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /** Settings with the default {@code /faults} parameters. */
  public VerifierSettings(Set<String> images, boolean allImages, int flags) {
    this(images, allImages, flags, FaultSettings.DEFAULT);
  }

  /** The same settings with these {@code /faults} parameters. */
  public VerifierSettings withFaults(FaultSettings newFaults) {
    return new VerifierSettings(images, allImages, flags, newFaults);
  }

  /**
   * Parses {@code VerifyDrivers}: image names separated by spaces, or {@code *} for all.
   *
   * @param verifyDrivers the REG_SZ, or null when absent (nothing verified)
   * @param verifyDriverLevel the REG_DWORD, or null when absent ({@link #STANDARD_FLAGS})
   */
  public static VerifierSettings parse(String verifyDrivers, Integer verifyDriverLevel) {
    if (verifyDrivers == null || verifyDrivers.isBlank()) {
      return NONE;
    }
    int flags = verifyDriverLevel == null ? STANDARD_FLAGS : verifyDriverLevel;
    Set<String> names = Set.of(verifyDrivers.trim().split("\\s+"));
    return new VerifierSettings(names.contains("*") ? Set.of() : names, names.contains("*"), flags);
  }

  /** Whether {@code imageName} ({@code Leaky.jar}) is verified. */
  public boolean verifies(String imageName) {
    Objects.requireNonNull(imageName, "imageName");
    return flags != 0 && (allImages || images.contains(imageName.toUpperCase(Locale.ROOT)));
  }
}
