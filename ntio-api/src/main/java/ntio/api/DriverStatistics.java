package ntio.api;

import java.util.List;

/**
 * One load's figures, as {@code verifier /query} shows them for a verified driver. Models the
 * per-driver block of {@code verifier /query} and {@code !verifier} (partial: pool counts, the
 * deliberate failures, and ntio's non-fatal findings; no byte counts, which poolmon's per-owner
 * usage gives).
 *
 * @param imageName the image, such as {@code Leaky.jar}
 * @param loaded whether this load is still mapped; false for the last unloaded load's figures
 * @param flags the {@code VerifyDriverLevel} bits the load was verified with
 * @param allocations pool allocations made ("Pool Allocations Succeeded")
 * @param frees pool allocations freed
 * @param outstanding allocations not yet freed ("Current Pool Allocations")
 * @param peak the most outstanding at once ("Peak Pool Allocations")
 * @param faultsInjected calls the randomized simulation failed ("Resource Allocations Failed
 *     Deliberately", DV6)
 * @param systematicFaultsInjected calls the systematic simulation failed (DV7)
 * @param findings the non-fatal findings recorded against this load, oldest first (at most the
 *     last 256)
 */
public record DriverStatistics(
    String imageName,
    boolean loaded,
    int flags,
    long allocations,
    long frees,
    long outstanding,
    long peak,
    long faultsInjected,
    long systematicFaultsInjected,
    List<VerifierFinding> findings) {

  /** Copies the findings. */
  public DriverStatistics {
    findings = List.copyOf(findings);
  }
}
